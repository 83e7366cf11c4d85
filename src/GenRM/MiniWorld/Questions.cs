namespace GenRM.MiniWorld;

/// <summary>How users ask for a sum. Training pairs use one set of phrasings; the Chat section uses new ones.</summary>
public static class Questions
{
    /// <summary>Phrasings of the in-distribution pairs (and of Chat Hard and Reasoning, which change something else).</summary>
    public static IReadOnlyList<string> InDistribution { get; } = ["What is {0}+{1}?", "Compute {0}+{1}.", "{0}+{1}=?"];

    /// <summary>Phrasings no preference pair in training uses (the base model's corpus has them all).</summary>
    public static IReadOnlyList<string> Chat { get; } =
        ["Add {0} and {1}.", "How much is {0} plus {1}?", "I have {0} coins and get {1} more. How many now?"];

    /// <summary>All phrasings, for the pretraining corpus.</summary>
    public static IReadOnlyList<string> All { get; } = [.. InDistribution, .. Chat];

    public static string Render(string phrasing, AdditionProblem problem) =>
        string.Format(System.Globalization.CultureInfo.InvariantCulture, phrasing, problem.Left, problem.Right);
}
