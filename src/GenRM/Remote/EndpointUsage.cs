namespace GenRM.Remote;

/// <summary>
/// Which endpoint and model produced a set of results: the endpoint asked, the model ids its
/// responses named, and counts of requests, retries, and verdict readouts that found no verdict.
/// </summary>
public sealed record EndpointUsage(string Endpoint, string RequestedModel, IReadOnlyList<string> RespondingModels, int Requests, int Retries, int UnreadableVerdicts);
