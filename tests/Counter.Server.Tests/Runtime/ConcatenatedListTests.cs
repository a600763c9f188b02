using Counter.Server.Runtime;

namespace Counter.Server.Tests.Runtime;

public sealed class ConcatenatedListTests
{
    [Fact]
    public void Reads_its_parts_as_one_list_in_order()
    {
        var list = new ConcatenatedList<int>([[1, 2], [], [3], [4, 5, 6]]);

        Assert.Equal(6, list.Count);
        Assert.Equal([1, 2, 3, 4, 5, 6], list);
        Assert.Equal([1, 2, 3, 4, 5, 6], Enumerable.Range(0, list.Count).Select(index => list[index]));
        Assert.Throws<ArgumentOutOfRangeException>(() => list[6]);
        Assert.Throws<ArgumentOutOfRangeException>(() => list[-1]);
    }
}
