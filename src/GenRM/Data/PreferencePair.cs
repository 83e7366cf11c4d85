using System.Collections.Immutable;

namespace GenRM.Data;

/// <summary>
/// One human (or simulated) preference: a prompt as chat turns, the preferred response and the
/// other one. Immutable; two pairs with the same fields are equal.
/// </summary>
/// <param name="Id">Stable identifier (from the file, or derived from its content).</param>
/// <param name="Prompt">The conversation up to the responses (system, user and earlier assistant turns).</param>
/// <param name="Chosen">The preferred assistant response.</param>
/// <param name="Rejected">The other assistant response.</param>
/// <param name="Subset">Subset name (RewardBench's, or a MiniWorld section), empty when none.</param>
/// <param name="Source">Where the pair came from (a file, a world), for reports.</param>
/// <param name="Margin">Optional preference strength, used by the Bradley-Terry margin loss.</param>
public sealed record PreferencePair(
    string Id,
    ImmutableArray<ChatMessage> Prompt,
    string Chosen,
    string Rejected,
    string Subset = "",
    string Source = "",
    double? Margin = null)
{
    /// <summary>A single-turn pair: the prompt is one user message.</summary>
    public static PreferencePair FromUserPrompt(string id, string prompt, string chosen, string rejected, string subset = "", string source = "") =>
        new(id, [ChatMessage.User(prompt)], chosen, rejected, subset, source);

    /// <summary>
    /// For data labelled "output 1 or output 2 is better" (LLMBar, a generic mapping with a label):
    /// whether the chosen response was the first output in the file; null when the file has no order.
    /// Lets a report check label balance.
    /// </summary>
    public bool? ChosenWasFirst { get; init; }

    /// <summary>
    /// Where in <see cref="Source"/> the pair was read ("item 12", "line 4", "row 3"); empty when it was not
    /// read from a file. Left out of equality: the same pair read from JSON lines and from Parquet is one pair.
    /// </summary>
    public string Location { get; init; } = "";

    /// <summary>The file and item, for messages: "path: item 12" (or just the source when there is no location).</summary>
    public string Where => Location.Length == 0 ? Source : $"{Source}: {Location}";

    public bool Equals(PreferencePair? other) =>
        other is not null && Id == other.Id && Prompt.SequenceEqual(other.Prompt) && Chosen == other.Chosen
        && Rejected == other.Rejected && Subset == other.Subset && Source == other.Source && Margin == other.Margin
        && ChosenWasFirst == other.ChosenWasFirst;

    public override int GetHashCode() => HashCode.Combine(Id, Prompt.Length, Chosen, Rejected, Subset, Source, Margin);
}
