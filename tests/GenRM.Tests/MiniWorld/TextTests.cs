using GenRM.Data;
using GenRM.MiniWorld;
using GenRM.Text;

namespace GenRM.Tests.MiniWorld;

public sealed class TextTests
{
    static readonly MiniWorldTokenizer Tokenizer = new();
    static readonly MiniWorldChatTemplate Template = new();

    [Fact]
    public void TokenizerRoundTripsEveryGeneratedText()
    {
        var world = WorldFixtures.Default();
        var texts = WorldFixtures.AllPairs(world).SelectMany(p =>
        {
            var truth = RationaleChecker.Judge(p.Pair, chosenIsA: false);
            string judge = MiniWorldJudgeFormat.Prompt(JudgeMode.Rationalizer, RationaleChecker.QuestionOf(p.Pair), p.Pair.Rejected, p.Pair.Chosen, truth.Verdict);
            return new[]
            {
                Template.Render([.. p.Pair.Prompt, ChatMessage.Assistant(p.Pair.Chosen)], addGenerationPrompt: false),
                Template.Render([.. p.Pair.Prompt, ChatMessage.Assistant(p.Pair.Rejected)], addGenerationPrompt: false),
                Template.Render([ChatMessage.User(judge), ChatMessage.Assistant(truth.Completion)], addGenerationPrompt: false),
            };
        }).Concat(new PretrainingCorpus(MiniWorldConfig.Default, CorpusMix.Default).Documents(5).Take(5000).Select(d => d.Text));
        foreach (string text in texts)
            Assert.Equal(text, Tokenizer.Decode(Tokenizer.Encode(text)));
    }

    [Fact]
    public void TokenizerVocabularyIsFixedAsDocumented()
    {
        Assert.Equal(102, Tokenizer.VocabSize);
        Assert.Equal(0, Tokenizer.PadId);
        Assert.Equal(1, Tokenizer.BosId);
        Assert.Equal([2], Tokenizer.EosIds);
        Assert.Equal([1, 4, 7 + ('h' - ' '), 6, 2, 5], Tokenizer.Encode("<|bos|><|user|>h\n<|end|><|assistant|>"));
        Assert.Equal(3, Tokenizer.TokenToId("<|system|>"));
        Assert.Equal(7, Tokenizer.TokenToId(" "));
        Assert.Equal(101, Tokenizer.TokenToId("~"));
        Assert.Null(Tokenizer.TokenToId("ab"));
        Assert.Equal("hi", Tokenizer.Decode(Tokenizer.Encode("<|bos|>hi<|end|>"), skipSpecialTokens: true));
        Assert.Equal("<|x", Tokenizer.Decode(Tokenizer.Encode("<|x")));
    }

    [Theory]
    [InlineData("caf\u00e9")]
    [InlineData("a\tb")]
    [InlineData("emoji \ud83d\ude00")]
    public void TokenizerRejectsUnknownCharactersWithTheirPosition(string text)
    {
        var error = Assert.Throws<BadInputException>(() => Tokenizer.Encode(text));
        Assert.Contains("not in the vocabulary", error.Message, StringComparison.Ordinal);
        Assert.Contains("position", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ChatTemplateRendersAsDocumented()
    {
        Assert.Equal("miniworld", Template.Name);
        Assert.Equal("<|bos|><|user|>What is 12+34?<|end|><|assistant|>46<|end|>",
            Template.Render([ChatMessage.User("What is 12+34?"), ChatMessage.Assistant("46")], addGenerationPrompt: false));
        Assert.Equal("<|bos|><|system|>Be brief.<|end|><|user|>Hi<|end|><|assistant|>",
            Template.Render([ChatMessage.System("Be brief."), ChatMessage.User("Hi")], addGenerationPrompt: true));
        Assert.Throws<BadInputException>(() => Template.Render([new ChatMessage("tool", "x")], addGenerationPrompt: false));
    }
}
