using GenRM.Data;
using GenRM.Text;

namespace GenRM.MiniWorld;

/// <summary>
/// The longest texts a world produces, so a model config can choose its context length. Tokens are
/// MiniWorld tokens (one per character, one per special token) of the text rendered with the chat template.
/// </summary>
/// <param name="MaxJudgeChars">Characters of the longest judge prompt (rationalizer mode, the longest) plus the right rationale and verdict.</param>
/// <param name="MaxRationaleChars">Characters of the longest right judge reply (rationale and verdict), to size rationale sampling.</param>
/// <param name="MaxJudgeTokens">Tokens of that conversation rendered with the template.</param>
/// <param name="MaxPairTokens">Tokens of a pair's prompt with its longer response, rendered (what a reward model reads).</param>
/// <param name="MaxCorpusTokens">Tokens of the longest corpus document among those measured.</param>
public sealed record MiniWorldLengths(int MaxJudgeChars, int MaxRationaleChars, int MaxJudgeTokens, int MaxPairTokens, int MaxCorpusTokens)
{
    /// <summary>The longest sequence of any kind, in tokens: the least context length a model for this world needs.</summary>
    public int LongestTokens => Math.Max(MaxJudgeTokens, Math.Max(MaxPairTokens, MaxCorpusTokens));

    /// <summary>Measures every pair of <paramref name="world"/> and the first <paramref name="corpusDocuments"/> documents of the corpus.</summary>
    public static MiniWorldLengths Measure(MiniWorldSplits world, PretrainingCorpus corpus, long corpusSeed, int corpusDocuments)
    {
        var template = new MiniWorldChatTemplate();
        var tokenizer = new MiniWorldTokenizer();
        int Tokens(IReadOnlyList<ChatMessage> messages) => tokenizer.Encode(template.Render(messages, addGenerationPrompt: false)).Length;

        int judgeChars = 0, rationaleChars = 0, judgeTokens = 0, pairTokens = 0;
        foreach (var pair in world.Train.Concat(MiniWorldSplits.EvaluationSections.SelectMany(s => world.Section(s))).Select(p => p.Pair))
        {
            var truth = RationaleChecker.Judge(pair, chosenIsA: true);
            string prompt = MiniWorldJudgeFormat.Prompt(JudgeMode.Rationalizer, RationaleChecker.QuestionOf(pair), pair.Chosen, pair.Rejected, truth.Verdict);
            judgeChars = Math.Max(judgeChars, prompt.Length + truth.Completion.Length);
            rationaleChars = Math.Max(rationaleChars, truth.Completion.Length);
            judgeTokens = Math.Max(judgeTokens, Tokens([ChatMessage.User(prompt), ChatMessage.Assistant(truth.Completion)]));
            string longer = pair.Chosen.Length >= pair.Rejected.Length ? pair.Chosen : pair.Rejected;
            pairTokens = Math.Max(pairTokens, Tokens([.. pair.Prompt, ChatMessage.Assistant(longer)]));
        }
        int corpusTokens = corpus.Documents(corpusSeed).Take(corpusDocuments).Select(d => tokenizer.Encode(d.Text).Length).DefaultIfEmpty(0).Max();
        return new MiniWorldLengths(judgeChars, rationaleChars, judgeTokens, pairTokens, corpusTokens);
    }
}
