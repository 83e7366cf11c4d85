namespace GenRM.Evaluation;

/// <summary>The Wilson score interval for a proportion (Wilson 1927), which stays inside [0, 1] and behaves near 0 and 1.</summary>
public static class WilsonInterval
{
    /// <summary>z for a two-sided 95 % interval.</summary>
    public const double Z95 = 1.959963984540054;

    /// <summary>
    /// The interval for <paramref name="successes"/> out of <paramref name="n"/>. Successes may be
    /// fractional (an unparsable verdict counts 0.5). With n = 0 the interval is [0, 1].
    /// </summary>
    public static ConfidenceInterval Compute(double successes, int n, double z = Z95)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        if (n == 0)
            return new ConfidenceInterval(0, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(successes);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(successes, n);
        double p = successes / n;
        double z2 = z * z;
        double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
        double half = z / (1 + z2 / n) * Math.Sqrt(p * (1 - p) / n + z2 / (4.0 * n * n));
        return new ConfidenceInterval(Math.Max(0, centre - half), Math.Min(1, centre + half));
    }
}
