namespace GenRM.Data;

/// <summary>Checks on a built pair that flag it as suspect without making it unreadable.</summary>
internal static class PairChecks
{
    public static IEnumerable<(DataProblemKind Kind, string Message)> Suspicions(PreferencePair pair)
    {
        if (pair.Prompt.IsEmpty || pair.Prompt.All(m => string.IsNullOrWhiteSpace(m.Content)))
            yield return (DataProblemKind.EmptyPrompt, "the prompt is empty");
        if (string.IsNullOrWhiteSpace(pair.Chosen))
            yield return (DataProblemKind.EmptyResponse, "the chosen response is empty");
        if (string.IsNullOrWhiteSpace(pair.Rejected))
            yield return (DataProblemKind.EmptyResponse, "the rejected response is empty");
        if (pair.Chosen == pair.Rejected)
            yield return (DataProblemKind.IdenticalResponses, "the chosen and rejected responses are identical");
    }
}
