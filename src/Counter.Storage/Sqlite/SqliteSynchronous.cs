namespace Counter.Storage;

/// <summary>
/// How hard SQLite pushes a commit to disk (<c>PRAGMA synchronous</c>). In WAL mode both survive a crash of the process;
/// only <see cref="Full"/> also survives a power loss or an operating-system crash, at the cost of an fsync per commit.
/// </summary>
public enum SqliteSynchronous
{
    Full,
    Normal,
}
