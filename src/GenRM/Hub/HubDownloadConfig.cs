using System.Text.RegularExpressions;

namespace GenRM.Hub;

/// <summary>What <see cref="HubDownloader"/> fetches from a Hugging Face hub, and how.</summary>
public sealed partial record HubDownloadConfig
{
    public const string DefaultEndpoint = "https://huggingface.co";

    /// <summary><c>owner/name</c> (or a bare legacy name such as <c>gpt2</c>).</summary>
    public required string Repo { get; init; }
    /// <summary>A branch, tag or commit.</summary>
    public string Revision { get; init; } = "main";
    /// <summary><c>model</c> or <c>dataset</c>.</summary>
    public string RepoType { get; init; } = "model";
    /// <summary>The hub's base address: HTTPS, or plain HTTP on a loopback address only (a local mirror, the tests).</summary>
    public string Endpoint { get; init; } = DefaultEndpoint;
    /// <summary>Sent as <c>Authorization: Bearer</c> to the endpoint; never written to any output.</summary>
    public string? Token { get; init; }
    /// <summary>Tries per file when the connection drops; each try resumes where the last one stopped.</summary>
    public int MaxAttempts { get; init; } = 3;

    /// <summary>Checks every field; the errors name the option.</summary>
    public HubDownloadConfig Validated()
    {
        if (!RepoPattern().IsMatch(Repo))
            throw new BadInputException($"repository '{Repo}': expected owner/name of letters, digits, '-', '_' and '.'.");
        if (RepoType is not ("model" or "dataset"))
            throw new BadInputException($"repository type '{RepoType}': use model or dataset.");
        if (string.IsNullOrWhiteSpace(Revision) || Revision.Contains(".."))
            throw new BadInputException($"revision '{Revision}' is not a branch, tag or commit.");
        if (!Uri.TryCreate(Endpoint, UriKind.Absolute, out Uri? endpoint) || !(endpoint.Scheme == Uri.UriSchemeHttps || (endpoint.Scheme == Uri.UriSchemeHttp && endpoint.IsLoopback)))
            throw new BadInputException($"endpoint '{Endpoint}': use https:// (plain http only on a loopback address, where a token cannot leak).");
        if (MaxAttempts < 1)
            throw new BadInputException($"MaxAttempts must be at least 1 (got {MaxAttempts}).");
        return this;
    }

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)?$")]
    private static partial Regex RepoPattern();
}
