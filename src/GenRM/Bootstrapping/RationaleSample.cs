using GenRM.Data;
using GenRM.Text;

namespace GenRM.Bootstrapping;

/// <summary>
/// A sampled rationale for one training item as shown (its A/B order): the judge prompt it answered,
/// the text it wrote, its parsed verdict, and whether that verdict is the human label's.
/// </summary>
public sealed record RationaleSample(string ItemId, IReadOnlyList<ChatMessage> JudgePrompt, string Text, Verdict Verdict, Verdict Correct)
{
    /// <summary>STaR's filter: keep a rationale exactly when its verdict equals the label's.</summary>
    public bool Kept => Verdict == Correct;

    /// <summary>A rationale that reached the other verdict (an unparsable one is neither kept nor wrong).</summary>
    public bool Wrong => Verdict != Correct && Verdict != Verdict.None;
}
