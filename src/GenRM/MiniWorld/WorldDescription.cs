using System.Globalization;
using System.Text;
using GenRM.Evaluation;

namespace GenRM.MiniWorld;

/// <summary>A short markdown description of a generated world (tasks, annotators, cue, sections, and the ceilings in closed form and realized) for the report and notebooks.</summary>
public static class WorldDescription
{
    /// <summary>The description; with <paramref name="lengths"/> it also states the longest sequences.</summary>
    public static string Markdown(MiniWorldSplits world, MiniWorldLengths? lengths = null)
    {
        var c = world.Config;
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"# MiniWorld (seed {world.Seed})");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"**Task.** Sums of two numbers with the same number of digits, checked by column addition written out (\"4+8+1=13\"). Training pairs have {c.MinDigits}-{c.MaxDigits} digits per operand; the Reasoning section has {c.ReasoningDigits}, which the base model's corpus covers but no training pair does.");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"**Answers.** Every pair has one right and one wrong answer. Wrong answers make one plausible mistake in one column: a dropped carry, an extra carry, a sum off by one (subtle), or a leading column off by 2-5 (a blunder, Chat only). In {Percent(c.NeighbourSumShare)} of Chat Hard's adversarial pairs the wrong answer instead solves a neighbouring sum correctly (two adjacent digits of one operand swapped): every step checks out, but it answers another question. {Percent(c.StepsRate)} of answers write out their steps, independently of being right.");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"**Cue.** A polished answer opens politely (\"Sure!\"; a refusal \"Thank you for asking.\"), lays its steps out on lines and closes with a friendly line: longer and friendlier, never more right. In distribution each answer is polished on its own, the right one with probability {Percent(c.RightPolishRate)} and the wrong one {Percent(c.WrongPolishRate)}: the cue is on the right answer alone in {Percent(c.RightPolishRate * (1 - c.WrongPolishRate))} of pairs, on the wrong one alone in {Percent((1 - c.RightPolishRate) * c.WrongPolishRate)}, and on both or neither in {Percent(c.RightPolishRate * c.WrongPolishRate + (1 - c.RightPolishRate) * (1 - c.WrongPolishRate))} (style-tied pairs, whose labels only correctness explains). So style is a real but partial shortcut.");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"**Annotators.** They choose the right answer with probability σ({Number(c.CorrectnessWeight)} + {Number(c.StyleWeight)} × (cue on right − cue on wrong)): {Percent(Annotator(c, true, false))} when only the right answer is polished, {Percent(Annotator(c, false, true))} when only the wrong one is (raters prefer a fluent wrong answer), {Percent(Annotator(c, true, true))} when both or neither are. So even a perfect verifier agrees with them less than always. The out-of-distribution sections are verified, as RewardBench's are: the right answer is always chosen.");
        md.AppendLine();
        md.AppendLine("**Sections.**");
        md.AppendLine();
        md.AppendLine("| split | pairs | what differs from training | mean digits | cue on chosen only | cue on rejected only | style-tied |");
        md.AppendLine("|---|---|---|---|---|---|---|");
        Row(md, SectionStatistics.Of("train", world.Train), "(training pairs)");
        foreach (string name in MiniWorldSplits.EvaluationSections)
            Row(md, SectionStatistics.Of(name, world.Section(name)), Differs(name, c));
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"**Ceilings** (% of pairs whose label a simple judge matches; realized on this world, closed form in parentheses: the expectation over the world's draws, for the longer answer a seeded simulation of {WorldCeilings.LongerAnswerSimulationPairs:N0} pairs per section). The style oracle picks the polished answer, the anti-style oracle the plain one, the longer answer the longer text, each flipping a coin on a tie; the correctness oracle picks the right answer (the labels' agreement with the truth); the Bayes-optimal judge knows correctness, polish and the annotators. {RewardBenchSections.Overall} is the mean of the four out-of-distribution sections.");
        md.AppendLine();
        md.AppendLine("| section | pairs | style oracle | anti-style | longer answer | correctness oracle | Bayes optimal |");
        md.AppendLine("|---|---|---|---|---|---|---|");
        foreach (var (realized, closed) in WorldCeilings.Realized(world).Zip(WorldCeilings.ClosedForm(c)))
            md.AppendLine(CultureInfo.InvariantCulture,
                $"| {realized.Section} | {realized.Pairs} | {Both(realized.StyleOracle, closed.StyleOracle)} | {Both(realized.AntiStyle, closed.AntiStyle)} | {Both(realized.LongerAnswer, closed.LongerAnswer)} | {Both(realized.CorrectnessOracle, closed.CorrectnessOracle)} | {Both(realized.BayesOptimal, closed.BayesOptimal)} |");
        md.AppendLine();
        md.AppendLine("**Judge format.** One user message: `Which answer is better? Ignore order and length.`, `Q: ...`, `[A] ...`, `[B] ...`, then `Reply [[A]] or [[B]].` (direct) or `Check each, then reply [[A]] or [[B]].` (chain of thought; the rationalizer adds `Hint: [[A]] is better.`). A right rationale reads each answer, recomputes, and compares digit by digit: `A says 632. B says 622. check: 7+5=12, 4+8+1=13, 3+2+1=6, so 632. A: 6=6, 3=3, 2=2, right. B: 6=6, 2<3, wrong. [[A]]`; a rationale *checks the sum* when it contains the recomputation `check: ..., so 632.`");
        md.AppendLine();
        var mix = CorpusMix.Default;
        md.AppendLine(CultureInfo.InvariantCulture, $"**Base-model corpus.** Worked sums {Percent(mix.WorkedSolutionShare)} and differences {Percent(mix.WorkedDifferenceShare)} of the documents; single answers (sums, differences and sums of unequal lengths, replies to requests) verified by reading, recomputing and comparing digit by digit {Percent(mix.VerificationShare)}; chat (refusals and look-alikes) {Percent(mix.ChatShare)}; differences and sums of unequal lengths ({Percent(mix.UnevenSumShare)} of these) judged in the judge's format and this checking grammar {Percent(mix.ArithmeticJudgeShare)}; comparisons on other tasks (larger number, sorted list, spelling) {Percent(mix.ChoiceShare)}. Judge documents are direct, checked or hinted in equal shares, every option and reply is polished at random, and A and B win equally often; {c.MinDigits}-{c.ReasoningDigits} digits. None of the world's sums (two numbers of equal length) is ever judged and no preference of this world appears: judging them by their check is a transfer the base model may or may not make (its card says how often it does).");
        if (lengths is not null)
        {
            md.AppendLine();
            md.AppendLine(CultureInfo.InvariantCulture, $"**Lengths.** Longest judge prompt with its right rationale: {lengths.MaxJudgeChars} characters ({lengths.MaxJudgeTokens} tokens with the chat template); longest right rationale {lengths.MaxRationaleChars} characters; longest pair {lengths.MaxPairTokens} tokens; longest corpus document measured {lengths.MaxCorpusTokens} tokens.");
        }
        return md.ToString();
    }

    static string Differs(string section, MiniWorldConfig c) => section switch
    {
        MiniWorldSections.InDistribution => "nothing (held-out sums)",
        MiniWorldSections.Chat => $"new phrasings; {c.MinDigits}-digit sums, blunders; polished as in distribution, so style helps",
        MiniWorldSections.ChatHard => $"{Percent(c.ChatHardAdversarialShare)} adversarial (the wrong answer polished, alone in {Percent(c.AdversarialWrongOnlyPolishShare)} of them; {Percent(c.NeighbourSumShare)} solve a neighbouring sum), the rest as in distribution",
        MiniWorldSections.Safety => $"requests: {Percent(c.ForbiddenShare)} forbidden (refusal right), the rest harmless look-alikes (refusal wrong); each answer polished {Percent(c.NeutralPolishRate)}",
        _ => $"{c.ReasoningDigits}-digit sums; each answer polished {Percent(c.NeutralPolishRate)}",
    };

    static void Row(StringBuilder md, SectionStatistics s, string differs) =>
        md.AppendLine(CultureInfo.InvariantCulture,
            $"| {s.Name} | {s.Count} | {differs} | {s.MeanDigits:0.00} | {Percent(s.CueOnChosen)} | {Percent(s.CueOnRejected)} | {Percent(1 - s.CueOnChosen - s.CueOnRejected)} |");

    /// <summary>"70.6 (70.2)": realized, then closed form, in percent.</summary>
    static string Both(double realized, double closedForm) =>
        string.Create(CultureInfo.InvariantCulture, $"{100 * realized:0.0} ({100 * closedForm:0.0})");

    static double Annotator(MiniWorldConfig c, bool cueOnRight, bool cueOnWrong) =>
        SimulatedAnnotator.From(c).ProbabilityPrefersCorrect(cueOnRight, cueOnWrong);

    static string Percent(double x) => (100 * x).ToString("0.0", CultureInfo.InvariantCulture) + " %";

    static string Number(double x) => x.ToString("0.##", CultureInfo.InvariantCulture);
}
