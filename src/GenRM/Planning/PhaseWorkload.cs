namespace GenRM.Planning;

/// <summary>What a phase of a method does with the model.</summary>
public enum PhaseKind
{
    /// <summary>Forward and backward over a micro-batch, then an AdamW step.</summary>
    Train,
    /// <summary>A gradient-free forward over whole sequences: judging by verdict probability or reward head, or DPO's reference log-probabilities.</summary>
    Forward,
    /// <summary>Sampling: the prompts read once into a KV cache, then one token per step.</summary>
    Sample,
}

/// <summary>
/// One phase of a method at its largest: <paramref name="Rows"/> sequences of <paramref name="Length"/>
/// tokens (for sampling: prompt plus new tokens). <see cref="RewardLabels"/> 0 reads the language
/// model's logits; above 0 a reward head of that many outputs on the last token, and no logits.
/// </summary>
public sealed record PhaseWorkload(string Name, PhaseKind Kind, int Rows, int Length)
{
    public int RewardLabels { get; init; }
    /// <summary>Sampling: tokens generated after the prompt (the prompt is <see cref="Length"/> minus these).</summary>
    public int NewTokens { get; init; }
    /// <summary>Sampling: continuations drawn per prompt; a prompt is read once and its samples share its cache (or get copies of its rows).</summary>
    public int SamplesPerPrompt { get; init; } = 1;
    /// <summary>The base model stays loaded beside this phase's model (in a study it always does).</summary>
    public bool BaseCopy { get; init; } = true;
    /// <summary>
    /// A trained copy of the model exists besides the base: a deep copy for full fine-tuning; with LoRA
    /// only its adapters and reward head, over the base's own weights (LanguageModel.TrainingCopy).
    /// </summary>
    public bool TrainedCopy { get; init; }

    /// <summary>
    /// Tokens per row whose log-probability the phase reads through the language-model head (the
    /// completion: a verdict or a rationale; LanguageModel.CompletionLogProbs sends only those
    /// positions through the head); null: every position.
    /// </summary>
    public int? LossTokens { get; init; }

    /// <summary>
    /// Rows that pack a prompt and its replies (Training.SharedPromptBatch: a DPO pair's two, or the
    /// verdict readout's [[A]] and [[B]]), read under an explicit attention mask [rows, 1, T, T]
    /// instead of plain causal attention.
    /// </summary>
    public bool SharedPrompt { get; init; }

    /// <summary>Whether the phase reads vocabulary logits.</summary>
    public bool ReadsLogits => RewardLabels == 0;

    /// <summary>Positions per row read through the head: <see cref="LossTokens"/>, at most every one but the last.</summary>
    public int HeadPositions => Math.Max(1, Math.Min(Length - 1, LossTokens ?? Length));
}
