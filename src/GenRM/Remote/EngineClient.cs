using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace GenRM.Remote;

/// <summary>
/// The management side of an inference engine's OpenAI-compatible server: which models it serves
/// (<c>GET /v1/models</c>), and how it is handed new weights. LoRA adapters go through vLLM's
/// <c>POST /v1/load_lora_adapter</c> and <c>/v1/unload_lora_adapter</c> (<c>{"lora_name", "lora_path"}</c>;
/// vLLM needs <c>--enable-lora</c> and <c>VLLM_ALLOW_RUNTIME_LORA_UPDATING=True</c>), which
/// <c>genrm serve</c> implements too; requests then name the adapter as their <c>model</c>. A full
/// checkpoint goes through SGLang's <c>POST /update_weights_from_disk</c> (<c>{"model_path"}</c>, at the
/// server's root), which <c>genrm serve</c> implements; vLLM's server has no such endpoint.
/// Thread-safe; every failure is one <see cref="BadInputException"/> naming the engine and the call.
/// </summary>
public sealed class EngineClient : IDisposable
{
    readonly HttpClient http;
    readonly Uri root;

    EngineClient(ChatEndpoint endpoint, HttpClient http, IReadOnlyList<EngineModel> models)
    {
        Endpoint = endpoint;
        this.http = http;
        Models = models;
        // The OpenAI routes live under /v1; SGLang's weight update lives at the server's root.
        string path = endpoint.BaseUrl.AbsolutePath.TrimEnd('/');
        root = new Uri(endpoint.BaseUrl, path.EndsWith("/v1", StringComparison.Ordinal) ? path[..^3] + "/" : path + "/");
    }

    /// <summary>The engine's base URL and its base model's name (what requests name to get the base weights).</summary>
    public ChatEndpoint Endpoint { get; }

    /// <summary>The models <c>/v1/models</c> listed when the client connected.</summary>
    public IReadOnlyList<EngineModel> Models { get; }

    /// <summary>
    /// Connects to <paramref name="url"/>: lists its models and picks the base model, <paramref name="model"/>
    /// when given (it must be listed), else the one model without a parent.
    /// </summary>
    /// <exception cref="BadInputException">The URL is malformed, the engine cannot be reached or answers with an error, or the model is not there.</exception>
    public static EngineClient Connect(string url, string? model, string? apiKeyVariable, TimeSpan timeout)
    {
        // The model is not known before the engine lists it: a placeholder until then.
        var probe = ChatEndpoint.Parse(url, model ?? "(to be discovered)", apiKeyVariable);
        var http = new HttpClient { Timeout = timeout };
        string? key = Environment.GetEnvironmentVariable(probe.ApiKeyVariable ?? ChatEndpoint.DefaultApiKeyVariable);
        if (!string.IsNullOrEmpty(key)) http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        try
        {
            var models = ListModels(http, probe);
            string[] bases = [.. models.Where(m => m.Parent is null).Select(m => m.Id)];
            string chosen = model ?? (bases.Length == 1
                ? bases[0]
                : throw new BadInputException($"sampler {url}: the engine serves {(bases.Length == 0 ? "no base model" : $"several base models ({string.Join(", ", bases)})")}; name one with --sampler-model."));
            if (!models.Any(m => m.Id == chosen))
                throw new BadInputException($"sampler {url}: the engine does not serve '{chosen}' (it serves {string.Join(", ", models.Select(m => m.Id))}).");
            return new EngineClient(probe with { Model = chosen }, http, models);
        }
        catch
        {
            http.Dispose();
            throw;
        }
    }

    /// <summary>Asks the engine which models it serves now.</summary>
    public IReadOnlyList<EngineModel> ListModels() => ListModels(http, Endpoint);

    /// <summary>Loads the PEFT adapter folder <paramref name="path"/> under <paramref name="name"/>; returns the engine's reply.</summary>
    public string LoadLoraAdapter(string name, string path) =>
        Post(new Uri(Endpoint.BaseUrl, Endpoint.BaseUrl.AbsolutePath.TrimEnd('/') + "/load_lora_adapter"), new JsonObject { ["lora_name"] = name, ["lora_path"] = path }, $"load_lora_adapter '{name}' from {path}");

    /// <summary>Unloads the adapter <paramref name="name"/>; returns the engine's reply.</summary>
    public string UnloadLoraAdapter(string name) =>
        Post(new Uri(Endpoint.BaseUrl, Endpoint.BaseUrl.AbsolutePath.TrimEnd('/') + "/unload_lora_adapter"), new JsonObject { ["lora_name"] = name }, $"unload_lora_adapter '{name}'");

    /// <summary>The checkpoint folder the engine's base weights were last reloaded from by this client; null while it serves what it was started with.</summary>
    public string? ReloadedFrom { get; private set; }

    /// <summary>
    /// Has the engine replace its base weights with the checkpoint folder <paramref name="path"/>
    /// (<paramref name="isBase"/>: the base model it was started with); returns the engine's reply.
    /// </summary>
    public string UpdateWeightsFromDisk(string path, bool isBase = false)
    {
        string reply = Post(new Uri(root, "update_weights_from_disk"), new JsonObject { ["model_path"] = path }, $"update_weights_from_disk from {path}");
        ReloadedFrom = isBase ? null : path;
        return reply;
    }

    string Post(Uri address, JsonObject body, string call)
    {
        using var response = Send(() => http.PostAsJsonAsync(address, body), call);
        string text = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
        if (!response.IsSuccessStatusCode)
            throw new BadInputException($"sampler {Endpoint.BaseUrl}: {call} failed with {(int)response.StatusCode}: {ErrorMessage(text)}");
        return text.Trim();
    }

    static IReadOnlyList<EngineModel> ListModels(HttpClient http, ChatEndpoint endpoint)
    {
        var address = new Uri(endpoint.BaseUrl, endpoint.BaseUrl.AbsolutePath.TrimEnd('/') + "/models");
        using var response = Send(() => http.GetAsync(address), $"GET {address}", endpoint);
        string text = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
        if (!response.IsSuccessStatusCode)
            throw new BadInputException($"sampler {endpoint.BaseUrl}: GET {address} answered {(int)response.StatusCode}: {ErrorMessage(text)}");
        BadInputException NotAList(string why) => new($"sampler {endpoint.BaseUrl}: GET {address} did not answer an OpenAI model list ({why}).");
        JsonArray data;
        try
        {
            data = JsonNode.Parse(text)?["data"] as JsonArray ?? throw NotAList("no 'data' list");
        }
        catch (JsonException e)
        {
            throw NotAList(e.Message);
        }
        static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue(out string? text) ? text : null;
        return [.. data.Select((m, i) => new EngineModel(Text(m?["id"]) ?? throw NotAList($"data[{i}] has no id"), Text(m?["parent"]), Text(m?["root"])))];
    }

    HttpResponseMessage Send(Func<Task<HttpResponseMessage>> request, string call) => Send(request, call, Endpoint);

    static HttpResponseMessage Send(Func<Task<HttpResponseMessage>> request, string call, ChatEndpoint endpoint)
    {
        try
        {
            return request().GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            string reason = e is TaskCanceledException ? "no answer in time" : e.InnerException?.Message ?? e.Message;
            throw new BadInputException($"sampler {endpoint.BaseUrl}: cannot reach the engine for {call} ({reason}); start it first (genrm serve, vllm serve, ...) and check the URL.", e);
        }
    }

    /// <summary>The message of an error body: OpenAI's <c>{"error": {"message"}}</c>, vLLM's <c>{"message"}</c>, else the text.</summary>
    static string ErrorMessage(string body)
    {
        try
        {
            var json = JsonNode.Parse(body);
            if ((json?["error"]?["message"] ?? json?["message"]) is JsonValue message && message.TryGetValue(out string? text)) return text;
        }
        catch (JsonException)
        {
            // Not JSON: the text itself is the message.
        }
        return body.Trim();
    }

    public void Dispose() => http.Dispose();
}

/// <summary>A model an engine lists: its id, the base model an adapter adapts (null for a base model), and where its weights came from.</summary>
public sealed record EngineModel(string Id, string? Parent, string? Root);
