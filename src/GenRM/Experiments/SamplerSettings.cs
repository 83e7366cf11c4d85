namespace GenRM.Experiments;

/// <summary>
/// An inference engine behind an OpenAI-compatible endpoint (vLLM, SGLang, <c>genrm serve</c>) that
/// samples STaR's rationales and the chain-of-thought judges' votes instead of the model in this
/// process; training stays here, and the engine is handed the weights after each training round
/// (<see cref="Remote.EngineSampler"/>). The engine must serve the study's base model.
/// </summary>
public sealed record SamplerSettings
{
    /// <summary>The engine's OpenAI base URL, e.g. <c>http://127.0.0.1:8000/v1</c>.</summary>
    public string Url { get; init; } = "";
    /// <summary>The base model's name on the engine; null: the one base model its <c>/v1/models</c> lists.</summary>
    public string? Model { get; init; }
    /// <summary>Environment variable holding the engine's API key (the key itself is never written anywhere).</summary>
    public string? ApiKeyEnv { get; init; }
    /// <summary>Requests in flight at once.</summary>
    public int Concurrency { get; init; } = 8;
}
