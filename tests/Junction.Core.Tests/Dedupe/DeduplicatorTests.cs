using Junction.Dedupe;

namespace Junction.Core.Tests.Dedupe;

public sealed class DeduplicatorTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 28, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void ARepeatedKeyWithinTheWindowIsADuplicateAndOtherSourcesAreNot()
    {
        var dedupe = new Deduplicator(TimeSpan.FromHours(24));

        Assert.True(dedupe.TryAdd("src_a:m-1", T0));
        Assert.False(dedupe.TryAdd("src_a:m-1", T0.AddHours(23)));
        Assert.True(dedupe.TryAdd("src_b:m-1", T0.AddHours(23)));
    }

    [Fact]
    public void AKeyIsForgottenOnceTheWindowHasPassed()
    {
        var dedupe = new Deduplicator(TimeSpan.FromHours(24));
        dedupe.TryAdd("src:m-1", T0);
        dedupe.TryAdd("src:m-2", T0.AddHours(12));

        Assert.True(dedupe.TryAdd("src:m-1", T0.AddHours(24).AddMinutes(1)));
        Assert.False(dedupe.TryAdd("src:m-2", T0.AddHours(24).AddMinutes(1)));
        Assert.Equal(2, dedupe.Count);
    }

    [Fact]
    public void ASavedStateIsRestoredWithThePositionItCovers()
    {
        var dedupe = new Deduplicator(TimeSpan.FromHours(24));
        for (var i = 0; i < 1000; i++)
        {
            dedupe.TryAdd($"src:m-{i}", T0.AddSeconds(i));
        }

        using var stream = new MemoryStream();
        dedupe.Save(stream, position: 4242);

        var (restored, position) = Deduplicator.Load(stream.ToArray(), TimeSpan.FromHours(24))!.Value;
        Assert.Equal(4242, position);
        Assert.Equal(1000, restored.Count);
        Assert.False(restored.TryAdd("src:m-999", T0.AddHours(1)));
        Assert.True(restored.TryAdd("src:m-1000", T0.AddHours(1)));
    }

    [Fact]
    public void ADamagedOrForeignSnapshotIsNotUsed()
    {
        var dedupe = new Deduplicator(TimeSpan.FromHours(24));
        dedupe.TryAdd("src:m-1", T0);
        using var stream = new MemoryStream();
        dedupe.Save(stream, 10);
        var bytes = stream.ToArray();

        Assert.Null(Deduplicator.Load(bytes, TimeSpan.FromHours(1)));
        bytes[12] ^= 1;
        Assert.Null(Deduplicator.Load(bytes, TimeSpan.FromHours(24)));
    }
}
