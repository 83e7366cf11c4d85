using System.Globalization;

namespace GenRM.MiniWorld;

/// <summary>
/// How an answer is dressed. <see cref="Polished"/> is the world's surface cue: a polite opener,
/// steps laid out on lines with an "Answer:" line, and a closing line; it makes the answer longer
/// and friendlier without changing whether it is right.
/// </summary>
/// <param name="Polished">Polite opener, line layout and closing (the cue).</param>
/// <param name="ShowSteps">Whether the column steps are written out.</param>
/// <param name="Variant">Which opener, closing or bare form (any non-negative number; taken modulo the choices).</param>
public sealed record ResponseStyle(bool Polished, bool ShowSteps, int Variant)
{
    /// <summary>The polite openers; a response with the cue starts with one of them.</summary>
    public static IReadOnlyList<string> Openers { get; } = ["Sure!", "Happy to help!", "Great question!"];

    static readonly string[] Closings = ["Hope this helps!", "Glad to help!"];

    /// <summary>The polite openers of a refusal ("Sure!" would contradict it); they carry the cue too.</summary>
    public static IReadOnlyList<string> RefusalOpeners { get; } = ["Thank you for asking.", "I appreciate the question."];

    static readonly string[] RefusalClosings = ["I hope you understand!", "Stay safe!"];

    /// <summary>A style with a uniform variant: six variants cover every opener or bare form with every closing.</summary>
    public static ResponseStyle Sample(WorldRandom rng, bool polished, bool showSteps) => new(polished, showSteps, rng.Next(0, 6));

    /// <summary>Whether <paramref name="response"/> carries the cue (starts with a polite opener).</summary>
    public static bool HasCue(string response) => Openers.Concat(RefusalOpeners).Any(o => response.StartsWith(o, StringComparison.Ordinal));

    /// <summary>Dresses a short content sentence (a look-alike's answer): opener and closing when polished.</summary>
    public string Dress(string content) =>
        Polished ? $"{Openers[Variant % Openers.Count]} {content} {Closings[Variant % Closings.Length]}" : content;

    /// <summary>Dresses a refusal: a refusal's opener and closing when polished.</summary>
    public string DressRefusal(string refusal) =>
        Polished ? $"{RefusalOpeners[Variant % RefusalOpeners.Count]} {refusal} {RefusalClosings[Variant % RefusalClosings.Length]}" : refusal;

    /// <summary>Whether <paramref name="response"/> is <paramref name="refusal"/> dressed by <see cref="DressRefusal"/> in some variant.</summary>
    public static bool IsDressedRefusal(string response, string refusal) =>
        RefusalOpeners.Any(o => RefusalClosings.Any(c => response == $"{o} {refusal} {c}"));

    /// <summary>The answer text; its last number is always the result.</summary>
    public string Render(IWorkedArithmetic work)
    {
        string result = work.Result.ToString(CultureInfo.InvariantCulture);
        if (Polished && ShowSteps)
            return $"{Openers[Variant % Openers.Count]}\n{work.StepsText("\n")}\nAnswer: {result}\n{Closings[Variant % Closings.Length]}";
        if (ShowSteps)
            return $"{work.StepsText(", ")}. So {work.Expression}={result}.";
        return Dress((Variant % 3) switch
        {
            0 => $"{work.Expression}={result}.",
            1 => $"The answer is {result}.",
            _ => Polished ? $"It is {result}." : result,
        });
    }
}
