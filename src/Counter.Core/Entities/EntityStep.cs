namespace Counter.Core;

/// <summary>
/// The outcome of one entity operation: the state to keep and the effects to carry out after keeping it.
/// Operations update the state object they are given and return it, so large states are not copied per operation.
/// </summary>
public readonly record struct EntityStep<TState>(TState State, IReadOnlyList<EntityEffect> Effects)
{
    public static EntityStep<TState> Unchanged(TState state) => new(state, []);
}
