using GenRM.Experiments;
using GenRM.Generation;
using GenRM.Judging;
using GenRM.Reporting;
using static TorchSharp.torch;

namespace GenRM.Serving;

/// <summary>
/// The model behind <c>genrm serve</c>: a model folder loaded as <c>genrm eval</c> loads it
/// (<see cref="JudgeModel"/>), the judge that answers <c>/v1/preference</c>, and the name clients
/// ask for. Not thread-safe: only <see cref="InferenceWorker"/>'s worker runs it.
/// </summary>
public sealed class ServedModel : IDisposable
{
    readonly JudgeModel model;
    readonly IPreferenceJudge judge;

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

    /// <summary>Continues every prompt in one batch.</summary>
    public IReadOnlyList<Completion> Generate(IReadOnlyList<int[]> prompts, GenerationOptions options, CancellationToken cancellation) =>
        new TextGenerator(model.Loaded.Model, model.Loaded.Tokenizer).Generate(prompts, options, cancellation);

    /// <summary>Log-probabilities of a completion's tokens and the top alternatives at each position (EOS excluded).</summary>
    public IReadOnlyList<TokenLogProb> LogProbs(int[] prompt, Completion completion, int top) =>
        TopLogProbs.Read(model.Loaded.Model, model.Loaded.Tokenizer, prompt, completion, top);

    /// <summary>The folder's name, or for a trained judge (<c>methods/&lt;method&gt;/model</c>) the method.</summary>
    static string DefaultId(string folder) =>
        JudgeModel.TrainedMethod(folder) ?? new DirectoryInfo(Path.GetFullPath(folder)).Name;

    public void Dispose() => model.Dispose();
}
