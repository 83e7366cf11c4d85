using GenRM.Generation;
using GenRM.Modeling;
using GenRM.Text;
using static TorchSharp.torch;

namespace GenRM.Serving;

/// <summary>
/// OpenAI's <c>logprobs</c>/<c>top_logprobs</c> for a finished completion: one forward pass over
/// prompt and completion (teacher forcing) gives the model's distribution (temperature 1) at every
/// completion position, from which the chosen token's log-probability and the k best are read.
/// </summary>
internal static class TopLogProbs
{
    public static IReadOnlyList<TokenLogProb> Read(LanguageModel model, ITokenizer tokenizer, int[] prompt, Completion completion, int top)
    {
        int[] generated = completion.FinishReason == FinishReason.Eos ? completion.TokenIds[..^1] : completion.TokenIds;
        if (generated.Length == 0) return [];
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        long[] ids = [.. prompt.Concat(generated).Select(i => (long)i)];
        Tensor logits = model.Forward(tensor(ids, [1, ids.Length], device: model.Device));
        // Position p predicts token p + 1: the completion's tokens are predicted from prompt.Length - 1 on.
        Tensor logProbs = logits[0].narrow(0, prompt.Length - 1, generated.Length).to(ScalarType.Float32).log_softmax(-1).cpu();
        int k = (int)Math.Min(top, logProbs.shape[1]);
        float[] all = logProbs.data<float>().ToArray();
        float[] topValues = [];
        long[] topIds = [];
        if (k > 0)
        {
            var (values, indices) = logProbs.topk(k, dim: -1);
            topValues = values.data<float>().ToArray();
            topIds = indices.data<long>().ToArray();
        }
        int vocab = (int)logProbs.shape[1];
        var result = new TokenLogProb[generated.Length];
        for (int t = 0; t < generated.Length; t++)
        {
            var alternatives = Enumerable.Range(0, k).Select(j => (Text(tokenizer, (int)topIds[t * k + j]), (double)topValues[t * k + j])).ToArray();
            result[t] = new TokenLogProb(Text(tokenizer, generated[t]), all[t * vocab + generated[t]], alternatives);
        }
        return result;
    }

    static string Text(ITokenizer tokenizer, int id) => tokenizer.Decode([id]);
}
