using System.CommandLine;
using System.Text.Json;
using GenRM.Experiments;
using GenRM.IO;
using GenRM.Judging;
using GenRM.Remote;

namespace GenRM.Cli;

/// <summary>
/// The options that point a generative judge at an OpenAI-compatible endpoint instead of local
/// weights (<c>--endpoint URL</c>, the key's variable, the prompt format the served model expects,
/// the request concurrency), shared by the commands that judge.
/// </summary>
internal sealed class RemoteJudgeOptions
{
    readonly Option<string?> endpoint = new("--endpoint") { Description = "OpenAI-compatible base URL (e.g. http://127.0.0.1:8000/v1): judge through it; --model then names the endpoint's model." };
    readonly Option<string> apiKeyVariable = new("--api-key-env") { Description = "Environment variable holding the endpoint's API key (never logged).", DefaultValueFactory = _ => ChatEndpoint.DefaultApiKeyVariable };
    readonly Option<string> promptFormat = new("--prompt-format") { Description = "Judge prompt the endpoint's model answers: mt-bench or miniworld.", DefaultValueFactory = _ => "mt-bench" };
    readonly Option<int> concurrency = new("--concurrency") { Description = "Requests in flight at once against the endpoint.", DefaultValueFactory = _ => 4 };

    public void AddTo(Command command)
    {
        command.Options.Add(endpoint);
        command.Options.Add(apiKeyVariable);
        command.Options.Add(promptFormat);
        command.Options.Add(concurrency);
    }

    /// <summary>The endpoint source when <c>--endpoint</c> is given, else null.</summary>
    public ChatClientCompletionSource? CreateSource(ParseResult parsed, string model)
    {
        if (parsed.GetValue(endpoint) is not { } url) return null;
        if (parsed.GetValue(concurrency) < 1) throw new UsageException("--concurrency must be at least 1.");
        return ChatClientCompletionSource.Create(ChatEndpoint.Parse(url, model, parsed.GetValue(apiKeyVariable)), new RemoteSamplingConfig { MaxConcurrency = parsed.GetValue(concurrency) });
    }

    /// <summary>The generative judge <paramref name="method"/> over the endpoint.</summary>
    public IPreferenceJudge CreateJudge(ParseResult parsed, string method, ICompletionSource source, int votes, int seed)
    {
        bool miniWorld = parsed.GetValue(promptFormat) switch
        {
            "miniworld" => true,
            "mt-bench" => false,
            var other => throw new UsageException($"unknown --prompt-format '{other}'; known: mt-bench, miniworld."),
        };
        var sampling = JudgeModel.SamplingFor(miniWorld);
        try
        {
            return JudgeFactory.CreateGenerative(method, source, JudgeModel.PromptFormat(miniWorld), new EvaluationSettings { Votes = votes }, sampling, int.MaxValue, seed);
        }
        catch (ArgumentException e)
        {
            throw new UsageException(e.Message);
        }
    }

    /// <summary>Writes which endpoint and model answered into <c>endpoint.json</c> in <paramref name="folder"/>; returns its path.</summary>
    public static string WriteUsage(ChatClientCompletionSource source, string folder)
    {
        string path = Path.Combine(folder, "endpoint.json");
        AtomicWrite.WriteAllText(path, JsonSerializer.Serialize(source.Usage, UsageJson) + "\n");
        return path;
    }

    static readonly JsonSerializerOptions UsageJson = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
}
