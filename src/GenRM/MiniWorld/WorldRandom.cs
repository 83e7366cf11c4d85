namespace GenRM.MiniWorld;

/// <summary>
/// The world's seeded random source: SplitMix64, identical on every platform and .NET version.
/// <see cref="Fork"/> derives an independent stream from a label, so one section's draws never
/// depend on another section's size.
/// </summary>
public sealed class WorldRandom
{
    ulong _state;

    public WorldRandom(long seed) => _state = (ulong)seed;

    /// <summary>An independent stream for <paramref name="label"/>; this stream is not advanced.</summary>
    public WorldRandom Fork(string label)
    {
        // FNV-1a: string.GetHashCode is randomised per process.
        ulong hash = 14695981039346656037UL;
        foreach (char c in label)
            hash = (hash ^ c) * 1099511628211UL;
        return new WorldRandom((long)Mix(_state ^ hash));
    }

    /// <summary>The next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        _state += 0x9E3779B97F4A7C15UL;
        return Mix(_state);
    }

    /// <summary>Uniform integer in [<paramref name="min"/>, <paramref name="maxExclusive"/>).</summary>
    public int Next(int min, int maxExclusive)
    {
        if (maxExclusive <= min)
            throw new ArgumentOutOfRangeException(nameof(maxExclusive), $"empty range [{min}, {maxExclusive})");
        return min + (int)(NextUInt64() % (ulong)(maxExclusive - min));
    }

    /// <summary>Uniform double in [0, 1).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>True with probability <paramref name="p"/>.</summary>
    public bool Chance(double p) => NextDouble() < p;

    public T Pick<T>(IReadOnlyList<T> items) => items[Next(0, items.Count)];

    static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
