using GenRM.Generation;
using GenRM.Tests.Modeling;

namespace GenRM.Tests.Generation;

public sealed class PositionLimitTests
{
    [Fact]
    public void APromptThatWouldRunPastThePositionsIsRefusedBeforeAnyStep()
    {
        // Evaluation screens such items out first; this is the generator's own guard behind it, which
        // the command line prints as one line (exit 1) rather than a crash.
        using var model = TinyModels.Create(TinyModels.Config());
        var generator = new TextGenerator(model, new ByteTokenizer());
        int positions = model.Config.MaxPositionEmbeddings;
        int[] prompt = [.. Enumerable.Repeat(65, positions - 8)];

        var error = Assert.Throws<ContextLengthExceededException>(() => generator.Generate([prompt], new GenerationOptions { MaxNewTokens = 9, EosIds = [] }));

        Assert.Contains($"{positions - 8} tokens plus 9 new tokens", error.Message);
        Assert.Contains($"{positions} positions", error.Message);
        Assert.Equal(8, generator.Generate([prompt], new GenerationOptions { MaxNewTokens = 8, Temperature = 0, EosIds = [] })[0].TokenIds.Length);
    }
}
