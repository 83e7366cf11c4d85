using GenRM.Data;

namespace GenRM.Evaluation;

/// <summary>A pair as a judge sees it: two responses labelled A and B, and which one is the chosen.</summary>
public sealed record AbPresentation(string ResponseA, string ResponseB, bool ChosenIsA);

/// <summary>
/// The A/B order per item. RewardBench randomises it without a seed; here it is a seeded hash of
/// the pair's id, so the order is the same in every run and independent of the item order.
/// </summary>
public static class AbOrder
{
    /// <summary>True when the chosen response is shown as A.</summary>
    public static bool ChosenIsA(int seed, string id) => StableHash.Unit("ab-order", seed, id) < 0.5;

    /// <summary>The pair's responses in the seeded order.</summary>
    public static AbPresentation Arrange(PreferencePair pair, int seed)
    {
        ArgumentNullException.ThrowIfNull(pair);
        bool chosenIsA = ChosenIsA(seed, pair.Id);
        return chosenIsA ? new(pair.Chosen, pair.Rejected, true) : new(pair.Rejected, pair.Chosen, false);
    }
}
