using Counter.Core;
using Microsoft.Data.Sqlite;

namespace Counter.Storage;

/// <summary>
/// The entities a read of <see cref="SqliteEntityStore"/> covers: every entity named <see cref="EveryNamed"/>, and
/// <see cref="One"/>; both null, every entity.
/// </summary>
internal readonly record struct EntitySelection(string? EveryNamed, EntityAddress? One)
{
    public static EntitySelection All => default;

    /// <summary>The WHERE clause (or nothing) over <c>entity_name</c> and <c>entity_key</c>, with the parameters <see cref="Bind"/> sets.</summary>
    public string Where => (EveryNamed, One) switch
    {
        (null, null) => "",
        (null, _) => "WHERE entity_name = $name AND entity_key = $key",
        (_, null) => "WHERE entity_name = $every",
        _ => "WHERE entity_name = $every OR (entity_name = $name AND entity_key = $key)",
    };

    public void Bind(SqliteCommand command)
    {
        if (EveryNamed is not null)
        {
            command.Parameters.AddWithValue("$every", EveryNamed);
        }

        if (One is { } entity)
        {
            command.Parameters.AddWithValue("$name", entity.Name);
            command.Parameters.AddWithValue("$key", entity.Key);
        }
    }
}
