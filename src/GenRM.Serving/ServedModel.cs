using GenRM.Experiments;
using GenRM.Generation;
using GenRM.Judging;
using GenRM.Modeling;
using GenRM.Modeling.Lora;
using GenRM.Reporting;
using static TorchSharp.torch;

namespace GenRM.Serving;

/// <summary>
/// The model behind <c>genrm serve</c>: a model folder loaded as <c>genrm eval</c> loads it
/// (<see cref="JudgeModel"/>), the judge that answers <c>/v1/preference</c>, and the name clients
/// ask for; beside it, LoRA adapters loaded at run time (<see cref="LoadAdapter"/>), each on its own
/// copy of the base weights, served to chat requests that name the adapter as their model.
/// Only <see cref="InferenceWorker"/>'s worker runs the models and changes weights; the names
/// served may be read from any thread.
/// </summary>
public sealed class ServedModel : IDisposable
{
    readonly JudgeModel model;
    readonly IPreferenceJudge judge;
    readonly Dictionary<string, ServedAdapter> adapters = new(StringComparer.Ordinal);

    ServedModel(JudgeModel model, string id, string method, int votes, int seed)
    {
        this.model = model;
        Id = id;
        JudgeMethod = method;
        judge = model.CreateJudge(method, votes, seed);
        // Verdict and reward readouts are deterministic per item, so requests can share a forward pass;
        // a sampled vote's seed is per call, so each such request is judged on its own to repeat exactly.
        BatchesJudgements = judge is not GenerativeJudge || method is StudyOrder.ZeroShot or StudyOrder.GenRm;
    }

    /// <summary>The model id clients name in requests and <c>/v1/models</c> lists.</summary>
    public string Id { get; }

    /// <summary>The method whose judge answers <c>/v1/preference</c>.</summary>
    public string JudgeMethod { get; }

    /// <summary>Whether several preference requests may be judged in one forward pass.</summary>
    public bool BatchesJudgements { get; }

    public int MaxPositions => model.Loaded.Model.Config.LongestSequence;

    /// <summary>
    /// Loads <paramref name="folder"/>. The judge is <paramref name="method"/> when given, else the
    /// method a <c>genrm reproduce</c> run trained into the folder, else the reward head's
    /// (bradley-terry for one output, pairrm for two), else zero-shot. <paramref name="templateArguments"/>
    /// reach the chat template (see <see cref="JudgeModel.Load"/>).
    /// </summary>
    /// <exception cref="BadInputException">The folder is not a model, or the method does not fit its weights.</exception>
    public static ServedModel Load(string folder, string? method, string? id, Device device, int votes = 8, int seed = 1,
        IReadOnlyDictionary<string, System.Text.Json.JsonElement>? templateArguments = null)
    {
        var loaded = JudgeModel.Load(folder, device, templateArguments: templateArguments);
        try
        {
            int labels = loaded.Loaded.Model.Config.NumLabels;
            string chosen = method ?? JudgeModel.TrainedMethod(folder) ?? labels switch
            {
                1 => StudyOrder.BradleyTerry,
                2 => StudyOrder.PairRm,
                _ => StudyOrder.ZeroShot,
            };
            if (!StudyOrder.Methods.Contains(chosen))
                throw new BadInputException($"unknown judge '{chosen}'; known: {string.Join(", ", StudyOrder.Methods)}.");
            int needed = chosen switch { StudyOrder.BradleyTerry => 1, StudyOrder.PairRm => 2, _ => -1 };
            if (needed > 0 && labels != needed)
                throw BadInputException.About(folder, $"the {chosen} judge reads a reward head with {needed} output(s), but this model has {labels}.");
            return new ServedModel(loaded, id ?? DefaultId(folder), chosen, votes, seed);
        }
        catch
        {
            loaded.Dispose();
            throw;
        }
    }

    /// <summary>Token ids of a conversation up to the assistant's turn; text the tokenizer cannot encode is a 400.</summary>
    public int[] EncodePrompt(IReadOnlyList<Data.ChatMessage> messages, string param)
    {
        try
        {
            return model.Encoder.Prompt(messages);
        }
        catch (BadInputException e)
        {
            throw ApiException.Invalid(e.Message, param);
        }
    }

    /// <summary>Checks that a preference item can be judged (encodable, and short enough for a sampled rationale).</summary>
    public void CheckJudgeable(JudgeItem item)
    {
        if (!item.Prompt.Any(m => m.Role == Data.ChatMessage.UserRole))
            throw ApiException.Invalid("the prompt needs a user message.", "prompt");
        bool sampled = judge is GenerativeJudge && !BatchesJudgements;
        var prompt = sampled ? model.Format.ChainOfThought(item.Prompt, item.ResponseA, item.ResponseB) : model.Format.Direct(item.Prompt, item.ResponseA, item.ResponseB);
        int length = EncodePrompt(prompt, "prompt").Length;
        if (sampled && length + model.Sampling.MaxRationaleTokens > MaxPositions)
            throw ApiException.Invalid($"the judge prompt is {length} tokens; with a {model.Sampling.MaxRationaleTokens}-token rationale it exceeds the model's {MaxPositions} positions.", "prompt");
    }

    /// <summary>Judges items in one call (one batched forward pass for verdict and reward readouts).</summary>
    public IReadOnlyList<Judgement> Judge(IReadOnlyList<JudgeItem> items, CancellationToken cancellation) => judge.Judge(items, cancellation);

    /// <summary>Continues every prompt in one batch, with the weights of <paramref name="adapter"/> (null: the base model).</summary>
    public IReadOnlyList<Completion> Generate(IReadOnlyList<int[]> prompts, GenerationOptions options, string? adapter, CancellationToken cancellation) =>
        new TextGenerator(Weights(adapter), model.Loaded.Tokenizer).Generate(prompts, options, cancellation);

    /// <summary>Log-probabilities of a completion's tokens and the top alternatives at each position (EOS excluded).</summary>
    public IReadOnlyList<TokenLogProb> LogProbs(int[] prompt, Completion completion, int top, string? adapter) =>
        TopLogProbs.Read(Weights(adapter), model.Loaded.Tokenizer, prompt, completion, top);

    /// <summary>The adapters loaded now, in load order.</summary>
    public IReadOnlyList<ServedAdapter> Adapters
    {
        get
        {
            lock (adapters) return [.. adapters.Values];
        }
    }

    /// <summary>Whether <paramref name="name"/> is an adapter served now.</summary>
    public bool HasAdapter(string name)
    {
        lock (adapters) return adapters.ContainsKey(name);
    }

    /// <summary>
    /// Loads the PEFT adapter folder <paramref name="path"/> onto a copy of the base weights and serves it as
    /// <paramref name="name"/>; answers as vLLM does: 400 for a missing field, a name already served or a
    /// folder that is no LoRA adapter this model takes (the message names the file), 404 when nothing is at the path.
    /// </summary>
    public string LoadAdapter(string name, string path)
    {
        if (name == Id || HasAdapter(name))
            throw ApiException.Invalid($"The lora adapter '{name}' has already been loaded.", "lora_name");
        if (!Directory.Exists(path))
            throw new ApiException(404, "NotFoundError", $"No adapter found for '{name}': {path} is not a folder.", "lora_path");
        var copy = model.Loaded.Model.Clone();
        try
        {
            LoraAdapterFiles.Load(path, copy);
        }
        catch (BadInputException e)
        {
            copy.Dispose();
            throw ApiException.Invalid($"The lora adapter '{name}' cannot be loaded: {e.Message}", "lora_path");
        }
        copy.eval();
        lock (adapters) adapters.Add(name, new ServedAdapter(name, Path.GetFullPath(path), copy));
        return $"Success: LoRA adapter '{name}' added successfully.";
    }

    /// <summary>Stops serving the adapter <paramref name="name"/> and frees its weights (404 when it is not served).</summary>
    public string UnloadAdapter(string name)
    {
        ServedAdapter? removed;
        lock (adapters)
        {
            if (!adapters.Remove(name, out removed))
                throw new ApiException(404, "NotFoundError", $"The lora adapter '{name}' cannot be found.", "lora_name");
        }
        removed.Model.Dispose();
        return $"Success: LoRA adapter '{name}' removed successfully.";
    }

    /// <summary>
    /// Replaces the base weights with those of the model folder <paramref name="path"/> (SGLang's
    /// <c>update_weights_from_disk</c>): the folder must hold a model of the same shapes; the tokenizer
    /// stays. Refused while adapters are loaded, since they were loaded on the weights being replaced.
    /// </summary>
    public string ReloadWeights(string path)
    {
        if (Adapters.Count > 0)
            throw ApiException.Invalid($"unload the LoRA adapters ({string.Join(", ", Adapters.Select(a => a.Name))}) before replacing the base weights.", "model_path");
        if (!Directory.Exists(path))
            throw new ApiException(404, "NotFoundError", $"No model found: {path} is not a folder.", "model_path");
        LanguageModel served = model.Loaded.Model;
        JudgeModel loaded;
        try
        {
            loaded = JudgeModel.Load(path, served.Device, served.DType);
        }
        catch (BadInputException e)
        {
            throw ApiException.Invalid($"cannot load the weights: {e.Message}", "model_path");
        }
        using (loaded)
        {
            var source = loaded.Loaded.Model.state_dict();
            foreach (var (name, target) in served.state_dict())
                if (!source.TryGetValue(name, out var tensor) || !tensor.shape.SequenceEqual(target.shape))
                    throw ApiException.Invalid($"{path}: {name} is missing or of another shape than the served model's; the folder holds another model.", "model_path");
            served.LoadWeightsFrom(loaded.Loaded.Model);
        }
        return $"Succeeded to update model weights from {Path.GetFullPath(path)}.";
    }

    /// <summary>The weights a request naming <paramref name="adapter"/> runs on (404 when it was unloaded meanwhile).</summary>
    LanguageModel Weights(string? adapter)
    {
        if (adapter is null) return model.Loaded.Model;
        lock (adapters)
            return adapters.TryGetValue(adapter, out var served) ? served.Model
                : throw new ApiException(404, "not_found_error", $"The model '{adapter}' does not exist (the adapter was unloaded).", "model");
    }

    /// <summary>The folder's name, or for a trained judge (<c>methods/&lt;method&gt;/model</c>) the method.</summary>
    static string DefaultId(string folder) =>
        JudgeModel.TrainedMethod(folder) ?? new DirectoryInfo(Path.GetFullPath(folder)).Name;

    public void Dispose()
    {
        foreach (var adapter in Adapters) adapter.Model.Dispose();
        model.Dispose();
    }
}

/// <summary>A LoRA adapter <c>genrm serve</c> serves: the name requests give, the folder it came from, and its copy of the weights.</summary>
public sealed record ServedAdapter(string Name, string Path, LanguageModel Model);
