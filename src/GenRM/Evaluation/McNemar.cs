namespace GenRM.Evaluation;

/// <summary>
/// McNemar's exact test for paired binary outcomes: under "both methods are equally often right",
/// each discordant item (one right, the other wrong) goes either way with probability 1/2, so the
/// smaller discordant count is binomial(b + c, 1/2) in its lower tail.
/// </summary>
public static class McNemar
{
    /// <summary>
    /// The two-sided exact p-value for <paramref name="onlyA"/> items only A gets right and
    /// <paramref name="onlyB"/> items only B gets right: min(1, 2 · P(X ≤ min(b, c))), X ~ Bin(b + c, 1/2).
    /// </summary>
    public static double ExactP(int onlyA, int onlyB)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(onlyA);
        ArgumentOutOfRangeException.ThrowIfNegative(onlyB);
        int n = onlyA + onlyB, k = Math.Min(onlyA, onlyB);
        if (n == 0) return 1;
        // Terms in logs: C(n, 0) / 2^n, then C(n, i + 1) = C(n, i) · (n − i) / (i + 1); fine for thousands of items.
        double logTerm = -n * Math.Log(2), tail = 0;
        for (int i = 0; i <= k; i++)
        {
            tail += Math.Exp(logTerm);
            logTerm += Math.Log(n - i) - Math.Log(i + 1);
        }
        return Math.Min(1, 2 * tail);
    }
}
