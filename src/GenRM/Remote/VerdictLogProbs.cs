using OpenAI.Chat;

namespace GenRM.Remote;

/// <summary>
/// The direct verdict readout from an endpoint's logprobs. The two verdict replies share a prefix
/// ("[[") and differ at the next character ("A]]" against "B]]"); the reply is decoded greedily,
/// and at the first token after the shared prefix the alternatives listed in
/// <c>top_logprobs</c> that begin each verdict are summed: P(A better) = p_A / (p_A + p_B).
/// This is the paper's readout at the verdict token; the in-process judge also multiplies in the
/// (near-certain) closing tokens, so the two agree closely but not to the last digit.
/// </summary>
internal static class VerdictLogProbs
{
    /// <summary>P(A better), or null when the reply never reached the verdict (no token boundary right after the prefix).</summary>
    /// <exception cref="BadInputException">The response carries no logprobs.</exception>
    public static double? Read(ChatCompletion completion, string replyA, string replyB, string endpoint)
    {
        var tokens = completion.ContentTokenLogProbabilities;
        if (tokens is null || tokens.Count == 0)
            throw new BadInputException($"endpoint {endpoint} returned no logprobs; the direct verdict readout (zero-shot, genrm) needs an endpoint that supports 'logprobs' and 'top_logprobs', or use a chain-of-thought judge.");
        int shared = SharedPrefixLength(replyA, replyB);
        string prefix = replyA[..shared], restA = replyA[shared..], restB = replyB[shared..];
        string before = "";
        foreach (var token in tokens)
        {
            if (before.TrimStart() == prefix && token.Token.Trim().Length > 0)
            {
                var candidates = token.TopLogProbabilities.Select(t => (t.Token, (double)t.LogProbability))
                    .Append((token.Token, token.LogProbability)).DistinctBy(t => t.Token).ToArray();
                double? a = LogSumExp(candidates.Where(c => Begins(restA, c.Token)).Select(c => c.Item2));
                double? b = LogSumExp(candidates.Where(c => Begins(restB, c.Token)).Select(c => c.Item2));
                if (a is null && b is null) return null;
                // A verdict below the listed alternatives is at most as likely as the least listed one.
                double floor = candidates.Min(c => c.Item2);
                return 1 / (1 + Math.Exp((b ?? floor) - (a ?? floor)));
            }
            before += token.Token;
            if (before.TrimStart().Length > prefix.Length) break;
        }
        return null;
    }

    static bool Begins(string rest, string token) => token.Length > 0 && (rest.StartsWith(token, StringComparison.Ordinal) || token.StartsWith(rest, StringComparison.Ordinal));

    static int SharedPrefixLength(string a, string b)
    {
        int n = 0;
        while (n < a.Length && n < b.Length && a[n] == b[n]) n++;
        if (n == a.Length || n == b.Length)
            throw new ArgumentException($"The verdict replies '{a}' and '{b}' must differ after a shared prefix.");
        return n;
    }

    static double? LogSumExp(IEnumerable<double> values)
    {
        double[] v = [.. values];
        if (v.Length == 0) return null;
        double max = v.Max();
        return max + Math.Log(v.Sum(x => Math.Exp(x - max)));
    }
}
