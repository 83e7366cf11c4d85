using System.CommandLine;
using System.Globalization;
using GenRM.Hub;

namespace GenRM.Cli;

/// <summary>
/// <c>genrm download REPO [--revision R] [--to DIR] [--repo-type model|dataset] [--endpoint URL]</c>:
/// a model or dataset from the Hugging Face hub, resumable and checked (token from <c>HF_TOKEN</c>).
/// </summary>
internal static class DownloadCommand
{
    public const string TokenVariable = "HF_TOKEN";

    public static Command Create()
    {
        var repo = new Argument<string>("repo") { Description = "The repository, owner/name (e.g. meta-llama/Llama-3.1-8B-Instruct)." };
        var revision = new Option<string>("--revision") { Description = "Branch, tag or commit.", DefaultValueFactory = _ => "main" };
        var target = new Option<string?>("--to") { Description = "Folder to fill (default: models/<repo> or datasets/<repo>)." };
        var repoType = new Option<string>("--repo-type") { Description = "model or dataset.", DefaultValueFactory = _ => "model" };
        repoType.AcceptOnlyFromAmong("model", "dataset");
        var endpoint = new Option<string>("--endpoint") { Description = "The hub's address (a mirror, say).", DefaultValueFactory = _ => HubDownloadConfig.DefaultEndpoint };
        var command = new Command("download", $"Fetch a model or dataset from the Hugging Face hub: resumable, size- and checksum-checked, each file placed only once checked. A token for gated repositories comes from {TokenVariable}.")
        {
            repo, revision, target, repoType, endpoint,
        };
        command.SetAction(async (parsed, cancellation) =>
        {
            var config = new HubDownloadConfig
            {
                Repo = parsed.GetValue(repo)!,
                Revision = parsed.GetValue(revision)!,
                RepoType = parsed.GetValue(repoType)!,
                Endpoint = parsed.GetValue(endpoint)!,
                Token = Environment.GetEnvironmentVariable(TokenVariable) is { Length: > 0 } token ? token : null,
            };
            string folder = parsed.GetValue(target) ?? Path.Combine(config.RepoType == "dataset" ? "datasets" : "models", config.Repo);
            using var downloader = new HubDownloader(config, parsed.InvocationConfiguration.Error);
            var result = await downloader.DownloadAsync(folder, cancellation).ConfigureAwait(false);
            parsed.InvocationConfiguration.Output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{result.Files.Count} files in {result.Folder} ({result.BytesFetched / 1e6:F1} MB fetched now)"));
            return CommandRunner.Success;
        });
        return command;
    }
}
