using System.ClientModel;
using System.ClientModel.Primitives;
using Microsoft.Extensions.AI;
using OpenAI;

namespace GenRM.Remote;

/// <summary>
/// An OpenAI-compatible chat endpoint (vLLM, SGLang, Ollama, llama.cpp server, a hosted API, or
/// <c>genrm serve</c>): its base URL (ending in <c>/v1</c>), the model to ask for, and the name of
/// the environment variable that holds the API key. The key itself is read when the client is
/// created and is never part of this record, its text, or any log.
/// </summary>
public sealed record ChatEndpoint(Uri BaseUrl, string Model, string? ApiKeyVariable = null)
{
    /// <summary>The default variable for the API key, as OpenAI's own tools use.</summary>
    public const string DefaultApiKeyVariable = "OPENAI_API_KEY";

    /// <summary>Parses a URL given on the command line.</summary>
    /// <exception cref="BadInputException">Not an absolute http(s) URL.</exception>
    public static ChatEndpoint Parse(string url, string model, string? apiKeyVariable = null)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out Uri? uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            throw new BadInputException($"endpoint '{url}' is not an http(s) URL (expected e.g. http://127.0.0.1:8000/v1).");
        if (string.IsNullOrWhiteSpace(model))
            throw new BadInputException($"endpoint {url}: no model name given.");
        return new ChatEndpoint(uri, model, apiKeyVariable);
    }

    /// <summary>
    /// An <see cref="IChatClient"/> for this endpoint. The OpenAI client's own retries are off:
    /// <see cref="ChatClientCompletionSource"/> retries, so it can count them. A missing key is
    /// sent as a placeholder (local engines ignore it).
    /// </summary>
    public IChatClient CreateChatClient(TimeSpan requestTimeout)
    {
        string? key = Environment.GetEnvironmentVariable(ApiKeyVariable ?? DefaultApiKeyVariable);
        var options = new OpenAIClientOptions { Endpoint = BaseUrl, NetworkTimeout = requestTimeout, RetryPolicy = new ClientRetryPolicy(maxRetries: 0) };
        return new OpenAI.Chat.ChatClient(Model, new ApiKeyCredential(string.IsNullOrEmpty(key) ? "none" : key), options).AsIChatClient();
    }

    /// <summary>The endpoint and model, for logs and results (no key).</summary>
    public override string ToString() => $"{BaseUrl} (model {Model})";
}
