using System.Text.Json;
using System.Text.Json.Nodes;
using GenRM.IO;
using static TorchSharp.torch;

namespace GenRM.Modeling.Lora;

/// <summary>
/// A LoRA adapter folder in PEFT's layout, which PEFT, vLLM and SGLang load as it is:
/// <c>adapter_config.json</c> (peft_type LORA, r, lora_alpha, lora_dropout, target_modules, ...) and
/// <c>adapter_model.safetensors</c> with PEFT's key names,
/// <c>base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight</c> and <c>...lora_B.weight</c>;
/// a reward model's head, trained in full, is saved as PEFT saves a module to save
/// (<c>base_model.model.score.weight</c>, task type SEQ_CLS).
/// </summary>
public static class LoraAdapterFiles
{
    public const string ConfigFileName = "adapter_config.json";
    public const string WeightsFileName = "adapter_model.safetensors";
    // PeftModel wraps the LoRA model, which wraps the transformers model: two levels of names.
    const string KeyPrefix = "base_model.model.";
    const string HeadName = "score.weight";
    static readonly JsonSerializerOptions IndentedJson = new() { WriteIndented = true };

    /// <summary>Writes <paramref name="model"/>'s adapters (and reward head, if any) to <paramref name="folder"/>, both files atomically.</summary>
    public static void Save(LanguageModel model, string folder, string? baseModelNameOrPath = null)
    {
        LoraAdapters adapters = model.Lora ?? throw new InvalidOperationException("The model has no LoRA adapters to save.");
        using var scope = NewDisposeScope();
        var tensors = adapters.NamedParameters().ToDictionary(p => KeyPrefix + p.Name, p => p.Parameter.detach(), StringComparer.Ordinal);
        bool head = model.Config.NumLabels > 0;
        if (head) tensors[KeyPrefix + HeadName] = model.state_dict()[HeadName].detach();
        string weightsPath = Path.Combine(folder, WeightsFileName);
        using var write = new AtomicWrite();
        write.Stage(weightsPath, stream => SafetensorsFile.Write(stream, weightsPath, tensors, null));
        write.Stage(Path.Combine(folder, ConfigFileName), stream => JsonSerializer.Serialize(stream, ConfigJson(adapters.Config, head, baseModelNameOrPath), IndentedJson));
        write.Commit();
    }

    static JsonObject ConfigJson(LoraConfig config, bool head, string? baseModel) => new()
    {
        ["peft_type"] = "LORA",
        ["task_type"] = head ? "SEQ_CLS" : "CAUSAL_LM",
        ["base_model_name_or_path"] = baseModel,
        ["r"] = config.Rank,
        ["lora_alpha"] = config.Alpha,
        ["lora_dropout"] = config.Dropout,
        ["target_modules"] = new JsonArray([.. config.TargetModules.Select(t => (JsonNode)t)]),
        ["modules_to_save"] = head ? new JsonArray("score") : null,
        ["bias"] = "none",
        ["fan_in_fan_out"] = false,
        ["init_lora_weights"] = true,
        ["inference_mode"] = true,
        ["use_rslora"] = false,
        ["use_dora"] = false,
        ["rank_pattern"] = new JsonObject(),
        ["alpha_pattern"] = new JsonObject(),
        ["layers_to_transform"] = null,
        ["layers_pattern"] = null,
        ["layer_replication"] = null,
        ["revision"] = null,
    };

    /// <summary>Reads a folder's <c>adapter_config.json</c> as a <see cref="LoraConfig"/>, refusing LoRA variants this model does not compute.</summary>
    public static LoraConfig ReadConfig(string folder)
    {
        string path = Path.Combine(folder, ConfigFileName);
        if (!File.Exists(path)) throw BadInputException.About(path, "no such file: a LoRA adapter folder needs adapter_config.json and adapter_model.safetensors.");
        JsonObject json;
        try
        {
            json = JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw BadInputException.About(path, "not a JSON object.");
        }
        catch (JsonException e)
        {
            throw BadInputException.About(path, $"not valid JSON ({e.Message}).");
        }
        string? Text(string key) => json[key] is JsonValue v && v.TryGetValue(out string? s) ? s : null;
        bool Flag(string key) => json[key] is JsonValue v && v.TryGetValue(out bool b) && b;
        double Number(string key) => json[key] is JsonValue v && v.TryGetValue(out double d) ? d : throw BadInputException.About(path, "missing or not a number.", key);
        bool NonEmpty(string key) => json[key] is JsonObject o ? o.Count > 0 : json[key] is JsonArray a && a.Count > 0;

        if (Text("peft_type") != "LORA") throw BadInputException.About(path, $"peft_type is {Text("peft_type") ?? "missing"}; only LORA adapters load here.", "peft_type");
        if ((Text("bias") ?? "none") != "none") throw BadInputException.About(path, "only bias \"none\" is supported.", "bias");
        foreach (string unsupported in new[] { "fan_in_fan_out", "use_rslora", "use_dora" })
            if (Flag(unsupported)) throw BadInputException.About(path, "this LoRA variant is not supported.", unsupported);
        foreach (string unsupported in new[] { "rank_pattern", "alpha_pattern", "layers_to_transform", "layer_replication" })
            if (NonEmpty(unsupported) || json[unsupported] is JsonValue) throw BadInputException.About(path, "per-layer LoRA settings are not supported.", unsupported);
        string[] targets = json["target_modules"] switch
        {
            JsonArray array => [.. array.Select(t => t?.GetValue<string>() ?? "")],
            JsonValue value when value.TryGetValue(out string? single) => [single],
            _ => throw BadInputException.About(path, "missing, or not a list of module names.", "target_modules"),
        };
        double rank = Number("r");
        if (rank != Math.Floor(rank)) throw BadInputException.About(path, "not a whole number.", "r");
        string[] unknown = [.. targets.Except(LoraConfig.AllProjections)];
        if (unknown.Length > 0) throw BadInputException.About(path, $"unknown target module(s) {string.Join(", ", unknown)}.", "target_modules");
        try
        {
            return new LoraConfig
            {
                Rank = (int)rank,
                Alpha = Number("lora_alpha"),
                Dropout = json["lora_dropout"] is null ? 0 : Number("lora_dropout"),
                // In the model's order, so the config does not depend on the order PEFT wrote a set in.
                TargetModules = [.. LoraConfig.AllProjections.Where(targets.Contains)],
            }.Validated();
        }
        catch (ArgumentException e)
        {
            throw BadInputException.About(path, e.Message);
        }
    }

    /// <summary>
    /// Attaches the folder's adapters to <paramref name="model"/> (which must have none) and, when the
    /// file has one, its reward head. Every adapter the config implies must be in the file with its
    /// shape, and nothing else may be.
    /// </summary>
    public static LoraAdapters Load(string folder, LanguageModel model)
    {
        LoraConfig config = ReadConfig(folder);
        string path = Path.Combine(folder, WeightsFileName);
        if (!File.Exists(path)) throw BadInputException.About(path, "no such file: the adapter's weights are missing.");
        using var scope = NewDisposeScope();
        var tensors = SafetensorsFile.Load(path, dtype: model.DType, device: model.Device);
        LoraAdapters adapters = model.AddLora(config, seed: 0);
        try
        {
            var expected = adapters.NamedParameters().Select(p => (Key: KeyPrefix + p.Name, Target: (Tensor)p.Parameter)).ToList();
            if (tensors.ContainsKey(KeyPrefix + HeadName))
            {
                if (model.Config.NumLabels == 0)
                    throw BadInputException.About(path, "the adapter carries a reward head but the model has none.", KeyPrefix + HeadName);
                expected.Add((KeyPrefix + HeadName, model.state_dict()[HeadName]));
            }
            using var noGrad = no_grad();
            foreach (var (key, target) in expected)
            {
                if (!tensors.TryGetValue(key, out Tensor? value))
                    throw BadInputException.About(path, "missing: adapter_config.json implies this tensor.", key);
                if (!value.shape.SequenceEqual(target.shape))
                    throw BadInputException.About(path, $"shape [{string.Join(", ", value.shape)}] differs from the model's [{string.Join(", ", target.shape)}].", key);
                target.copy_(value);
            }
            string? unexpected = tensors.Keys.Except(expected.Select(e => e.Key)).Order(StringComparer.Ordinal).FirstOrDefault();
            if (unexpected is not null)
                throw BadInputException.About(path, "no such adapter in this model (or not in target_modules).", unexpected);
            return adapters;
        }
        catch
        {
            model.RemoveLora();
            throw;
        }
    }
}
