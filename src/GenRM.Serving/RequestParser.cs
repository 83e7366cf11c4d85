using System.Text.Json;
using System.Text.Json.Nodes;
using GenRM.Data;
using GenRM.Generation;
using GenRM.Judging;

namespace GenRM.Serving;

/// <summary>
/// Reads request bodies into <see cref="ChatRequest"/> and <see cref="PreferenceRequest"/>, with one
/// clear 4xx <see cref="ApiException"/> naming the field for anything malformed. Fields a client
/// may send that change nothing here (user, frequency_penalty, ...) are ignored, as engines do.
/// </summary>
public static class RequestParser
{
    /// <summary>Most choices one chat request may ask for.</summary>
    public const int MaxChoices = 16;
    /// <summary>Most alternatives per position (OpenAI's limit).</summary>
    public const int MaxTopLogProbs = 20;
    const int MaxStops = 4;

    public static ChatRequest Chat(JsonNode? body, ServedModel model, ServerConfig config)
    {
        JsonObject request = Object(body);
        string? adapter = request["model"] is JsonNode named && String(named, "model") is var name && model.HasAdapter(name) ? name : null;
        if (adapter is null) CheckModel(request, model);
        if (request["stream"] is JsonNode stream && Bool(stream, "stream"))
            throw ApiException.Invalid("streaming is not supported; send \"stream\": false.", "stream");
        var messages = Messages(request["messages"], "messages");
        int[] prompt = model.EncodePrompt(messages, "messages");
        int room = model.MaxPositions - prompt.Length;
        if (room < 1)
            throw ApiException.Invalid($"the conversation is {prompt.Length} tokens; the model has {model.MaxPositions} positions.", "messages");
        string maxName = request["max_completion_tokens"] is not null ? "max_completion_tokens" : "max_tokens";
        int maxTokens = request[maxName] is JsonNode max ? Integer(max, maxName, 1, int.MaxValue) : Math.Min(config.DefaultMaxTokens, room);
        if (maxTokens > room)
            throw ApiException.Invalid($"{maxName} is {maxTokens}, but the conversation ({prompt.Length} tokens) leaves room for {room} of the model's {model.MaxPositions} positions.", maxName);
        bool logProbs = request["logprobs"] is JsonNode lp && Bool(lp, "logprobs");
        int top = request["top_logprobs"] is JsonNode tl ? Integer(tl, "top_logprobs", 0, MaxTopLogProbs) : 0;
        if (top > 0 && !logProbs)
            throw ApiException.Invalid("top_logprobs needs \"logprobs\": true.", "top_logprobs");
        long? seed = request["seed"] is JsonNode s ? Long(s, "seed") : null;
        var options = new GenerationOptions
        {
            Temperature = request["temperature"] is JsonNode t ? Number(t, "temperature", 0, 2) : 1.0,
            TopP = request["top_p"] is JsonNode p ? Number(p, "top_p", double.Epsilon, 1) : 1.0,
            MaxNewTokens = maxTokens,
            StopStrings = Stops(request["stop"]),
            Seed = seed ?? 0,
        };
        int n = request["n"] is JsonNode nn ? Integer(nn, "n", 1, MaxChoices) : 1;
        return new ChatRequest(messages, prompt, n, options, seed is not null, logProbs, top, adapter);
    }

    /// <summary>The body of <c>/v1/load_lora_adapter</c> or <c>/v1/unload_lora_adapter</c>: the adapter's name and, to load, its folder.</summary>
    public static (string Name, string? Path) LoraAdapter(JsonNode? body, bool load)
    {
        JsonObject request = Object(body);
        string? name = request["lora_name"] is JsonNode n ? String(n, "lora_name") : null;
        string? path = request["lora_path"] is JsonNode p ? String(p, "lora_path") : null;
        if (string.IsNullOrEmpty(name) || (load && string.IsNullOrEmpty(path)))
            throw ApiException.Invalid(load ? "Both 'lora_name' and 'lora_path' must be provided." : "'lora_name' must be provided.", string.IsNullOrEmpty(name) ? "lora_name" : "lora_path");
        return (name, path);
    }

    /// <summary>The folder of an <c>/update_weights_from_disk</c> request (SGLang's <c>model_path</c>).</summary>
    public static string WeightsFolder(JsonNode? body) =>
        Object(body)["model_path"] is JsonNode path && String(path, "model_path") is { Length: > 0 } folder
            ? folder
            : throw ApiException.Invalid("'model_path' (a model folder) must be provided.", "model_path");

    public static PreferenceRequest Preference(JsonNode? body, ServedModel model)
    {
        JsonObject request = Object(body);
        CheckModel(request, model);
        var prompt = request["prompt"] switch
        {
            null => throw ApiException.Invalid("missing field 'prompt' (a string, or chat messages).", "prompt"),
            JsonArray => Messages(request["prompt"], "prompt"),
            var p => [ChatMessage.User(String(p, "prompt"))],
        };
        var item = new JudgeItem(prompt, RequiredString(request, "response_a"), RequiredString(request, "response_b"));
        model.CheckJudgeable(item);
        return new PreferenceRequest(item);
    }

    static JsonObject Object(JsonNode? body) =>
        body as JsonObject ?? throw ApiException.Invalid("the request body must be a JSON object.");

    static void CheckModel(JsonObject request, ServedModel model)
    {
        if (request["model"] is JsonNode node && String(node, "model") != model.Id)
            throw new ApiException(404, "not_found_error", $"The model '{node.GetValue<string>()}' does not exist; this server serves '{string.Join("', '", model.Adapters.Select(a => a.Name).Prepend(model.Id))}'.", "model");
    }

    static List<ChatMessage> Messages(JsonNode? node, string name)
    {
        if (node is not JsonArray array || array.Count == 0)
            throw ApiException.Invalid($"'{name}' must be a non-empty array of messages.", name);
        var messages = new List<ChatMessage>(array.Count);
        for (int i = 0; i < array.Count; i++)
        {
            string at = $"{name}[{i}]";
            if (array[i] is not JsonObject message)
                throw ApiException.Invalid($"{at} must be an object with 'role' and 'content'.", at);
            string role = message["role"] is JsonNode r ? String(r, $"{at}.role") : throw ApiException.Invalid($"{at} has no 'role'.", at);
            role = role == "developer" ? ChatMessage.SystemRole : role;
            if (role is not (ChatMessage.SystemRole or ChatMessage.UserRole or ChatMessage.AssistantRole))
                throw ApiException.Invalid($"{at}.role is '{role}'; expected system, user or assistant.", $"{at}.role");
            messages.Add(new ChatMessage(role, Content(message["content"], $"{at}.content")));
        }
        return messages;
    }

    /// <summary>A message's text: a string, or an array of text parts (OpenAI's content parts).</summary>
    static string Content(JsonNode? node, string name) => node switch
    {
        null => throw ApiException.Invalid($"{name} is missing.", name),
        JsonArray parts => string.Concat(parts.Select((part, i) => part is JsonObject o && o["type"]?.GetValueKind() == JsonValueKind.String && o["type"]!.GetValue<string>() == "text" && o["text"] is JsonNode text
            ? String(text, $"{name}[{i}].text")
            : throw ApiException.Invalid($"{name}[{i}] must be a text part ({{\"type\": \"text\", \"text\": ...}}); only text is supported.", name))),
        _ => String(node, name),
    };

    static string[] Stops(JsonNode? node)
    {
        string[] stops = node switch
        {
            null => [],
            JsonArray array => [.. array.Select((s, i) => String(s, $"stop[{i}]"))],
            _ => [String(node, "stop")],
        };
        if (stops.Length > MaxStops) throw ApiException.Invalid($"at most {MaxStops} stop sequences.", "stop");
        if (stops.Any(s => s.Length == 0)) throw ApiException.Invalid("stop sequences must not be empty.", "stop");
        return stops;
    }

    static string RequiredString(JsonObject request, string name) =>
        request[name] is JsonNode node ? String(node, name) : throw ApiException.Invalid($"missing field '{name}' (a string).", name);

    static string String(JsonNode? node, string name) =>
        node?.GetValueKind() == JsonValueKind.String ? node.GetValue<string>() : throw ApiException.Invalid($"'{name}' must be a string.", name);

    static bool Bool(JsonNode node, string name) => node.GetValueKind() switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False or JsonValueKind.Null => false,
        _ => throw ApiException.Invalid($"'{name}' must be true or false.", name),
    };

    static double Number(JsonNode node, string name, double min, double max)
    {
        if (node.GetValueKind() != JsonValueKind.Number)
            throw ApiException.Invalid($"'{name}' must be a number.", name);
        double value = node.GetValue<double>();
        return value >= min && value <= max ? value : throw ApiException.Invalid($"'{name}' is {value}; it must be in [{(min == double.Epsilon ? 0 : min)}, {max}]{(min == double.Epsilon ? " and above 0" : "")}.", name);
    }

    static int Integer(JsonNode node, string name, int min, int max)
    {
        long value = Long(node, name);
        return value >= min && value <= max ? (int)value : throw ApiException.Invalid($"'{name}' is {value}; it must be between {min} and {max}.", name);
    }

    static long Long(JsonNode node, string name) =>
        node.GetValueKind() == JsonValueKind.Number && node.AsValue().TryGetValue(out long value)
            ? value
            : throw ApiException.Invalid($"'{name}' must be an integer.", name);
}
