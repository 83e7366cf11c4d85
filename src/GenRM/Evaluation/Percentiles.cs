namespace GenRM.Evaluation;

/// <summary>Percentile intervals from bootstrap samples.</summary>
internal static class Percentiles
{
    /// <summary>The 2.5th and 97.5th percentiles of <paramref name="values"/> (sorted in place), interpolating between order statistics.</summary>
    public static ConfidenceInterval Ci95(double[] values)
    {
        Array.Sort(values);
        double At(double q)
        {
            double h = (values.Length - 1) * q;
            int below = (int)Math.Floor(h);
            int above = Math.Min(below + 1, values.Length - 1);
            return values[below] + (h - below) * (values[above] - values[below]);
        }
        return new ConfidenceInterval(At(0.025), At(0.975));
    }
}
