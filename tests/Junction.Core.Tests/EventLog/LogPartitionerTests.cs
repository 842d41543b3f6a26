using Junction.EventLog;

namespace Junction.Core.Tests.EventLog;

public sealed class LogPartitionerTests
{
    [Theory]
    [InlineData("", 2166136261u)]
    [InlineData("a", 0xe40c292cu)]
    [InlineData("foobar", 0xbf9cf968u)]
    public void ThePartitionIsFnv1aOfTheKeyModuloTheCount(string key, uint fnv1a)
    {
        Assert.Equal((int)(fnv1a % 64), LogPartitioner.PartitionOf(key, 64));
        Assert.Equal((int)(fnv1a % 7), LogPartitioner.PartitionOf(key, 7));
    }

    [Fact]
    public void LongAndNonAsciiKeysArePartitionedLikeShortOnes()
    {
        var key = new string('ü', 400);
        var partition = LogPartitioner.PartitionOf(key, 16);

        Assert.InRange(partition, 0, 15);
        Assert.Equal(partition, LogPartitioner.PartitionOf(key, 16));
    }
}
