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
    public void AKeyIsRememberedForTheWholeWindowAndForgottenWithinAnEighthMore()
    {
        var dedupe = new Deduplicator(TimeSpan.FromHours(24));
        dedupe.TryAdd("src:m-1", T0.AddMinutes(179));
        dedupe.TryAdd("src:m-2", T0.AddHours(12));

        Assert.False(dedupe.TryAdd("src:m-1", T0.AddMinutes(179).AddHours(24).AddMilliseconds(-1)));
        Assert.True(dedupe.TryAdd("src:m-1", T0.AddMinutes(179).AddHours(27)));
        Assert.False(dedupe.TryAdd("src:m-2", T0.AddHours(27)));
        Assert.Equal(2, dedupe.Count);
    }

    [Fact]
    public void AfterALongQuietSpellOldKeysAreNotMistakenForNewOnes()
    {
        var dedupe = new Deduplicator(TimeSpan.FromHours(24));
        for (var day = 0; day < 120; day++)
        {
            Assert.True(dedupe.TryAdd($"src:day-{day}", T0.AddDays(day * 3)), $"day {day}");
            Assert.True(dedupe.TryAdd("src:every-time", T0.AddDays(day * 3)), $"repeat on day {day}");
            Assert.False(dedupe.TryAdd("src:every-time", T0.AddDays(day * 3).AddHours(1)));
        }

        Assert.InRange(dedupe.Count, 1, 100);
    }

    [Fact]
    public void OverItsKeyLimitTheOldestGenerationsAreForgottenEarly()
    {
        var dedupe = new Deduplicator(TimeSpan.FromHours(24), maxKeys: 1000);
        for (var i = 0; i < 5000; i++)
        {
            dedupe.TryAdd($"src:m-{i}", T0.AddSeconds(i * 60));
        }

        Assert.True(dedupe.Count <= 2000);
        Assert.True(dedupe.EffectiveWindow < TimeSpan.FromHours(24));
        Assert.False(dedupe.TryAdd("src:m-4999", T0.AddSeconds(4999 * 60)));
        Assert.True(dedupe.TryAdd("src:m-0", T0.AddSeconds(4999 * 60)));
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
