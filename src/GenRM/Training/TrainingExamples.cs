namespace GenRM.Training;

/// <summary>A prompt and the completion to learn (token ids, already rendered through the chat template).</summary>
public sealed record SftExample(int[] Prompt, int[] Completion)
{
    /// <summary>Tokens of the whole sequence.</summary>
    public int Length => Prompt.Length + Completion.Length;
}

/// <summary>A prompt with a preferred and a dispreferred completion (token ids); <paramref name="Margin"/> feeds the Bradley-Terry margin loss.</summary>
public sealed record PreferenceExample(int[] Prompt, int[] Chosen, int[] Rejected, float Margin = 0)
{
    /// <summary>Tokens of the longer of its two sequences (prompt + chosen, prompt + rejected), the width it pads a batch to.</summary>
    public int Length => Prompt.Length + Math.Max(Chosen.Length, Rejected.Length);
}

/// <summary>A preference example with the reference model's summed log-probabilities, precomputed once so the reference need not stay in memory.</summary>
public sealed record DpoExample(PreferenceExample Pair, float ReferenceChosen, float ReferenceRejected);
