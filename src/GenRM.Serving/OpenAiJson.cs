using System.Text;
using System.Text.Json.Nodes;
using GenRM.Generation;
using GenRM.Judging;
using GenRM.Text;

namespace GenRM.Serving;

/// <summary>The response bodies, in OpenAI's shapes (chat.completion, list of models, error) and the preference contract of DESIGN.md.</summary>
internal static class OpenAiJson
{
    public static JsonObject Error(ApiException e) => new()
    {
        ["error"] = new JsonObject { ["message"] = e.Message, ["type"] = e.Type, ["param"] = e.Param, ["code"] = e.Status },
    };

    /// <summary>The base model, then each LoRA adapter with its base as <c>parent</c> and its folder as <c>root</c>, as vLLM lists them.</summary>
    public static JsonObject Models(ServedModel model, long created) => new()
    {
        ["object"] = "list",
        ["data"] = new JsonArray([Model(model, created), .. model.Adapters.Select(a => (JsonNode)Adapter(model, a, created))]),
    };

    static JsonObject Model(ServedModel model, long created) => new()
    {
        ["id"] = model.Id,
        ["object"] = "model",
        ["created"] = created,
        ["owned_by"] = "genrm",
        ["root"] = model.Id,
        ["parent"] = null,
        ["judge"] = model.JudgeMethod,
    };

    static JsonObject Adapter(ServedModel model, ServedAdapter adapter, long created) => new()
    {
        ["id"] = adapter.Name,
        ["object"] = "model",
        ["created"] = created,
        ["owned_by"] = "genrm",
        ["root"] = adapter.Path,
        ["parent"] = model.Id,
    };

    public static JsonObject ChatCompletion(string id, ServedModel model, ChatRequest request, IReadOnlyList<ChatChoice> choices, long created)
    {
        int completionTokens = choices.Sum(c => c.Completion.TokenIds.Length);
        return new JsonObject
        {
            ["id"] = id,
            ["object"] = "chat.completion",
            ["created"] = created,
            ["model"] = request.Adapter ?? model.Id,
            ["choices"] = new JsonArray([.. choices.Select((c, i) => (JsonNode)Choice(i, c))]),
            ["usage"] = new JsonObject
            {
                ["prompt_tokens"] = request.PromptIds.Length,
                ["completion_tokens"] = completionTokens,
                ["total_tokens"] = request.PromptIds.Length + completionTokens,
            },
        };
    }

    static JsonObject Choice(int index, ChatChoice choice) => new()
    {
        ["index"] = index,
        ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = choice.Completion.Text },
        ["logprobs"] = choice.LogProbs is null ? null : new JsonObject { ["content"] = new JsonArray([.. choice.LogProbs.Select(t => (JsonNode)Token(t))]) },
        ["finish_reason"] = choice.Completion.FinishReason == FinishReason.Length ? "length" : "stop",
    };

    static JsonObject Token(TokenLogProb token) => new()
    {
        ["token"] = token.Token,
        ["logprob"] = token.LogProb,
        ["bytes"] = Bytes(token.Token),
        ["top_logprobs"] = new JsonArray([.. token.Top.Select(t => (JsonNode)new JsonObject { ["token"] = t.Token, ["logprob"] = t.LogProb, ["bytes"] = Bytes(t.Token) })]),
    };

    static JsonArray Bytes(string text) => new([.. Encoding.UTF8.GetBytes(text).Select(b => (JsonNode)(int)b)]);

    /// <summary>DESIGN.md's answer: P(A better), the verdict, and for a chain-of-thought judge the rationale behind the majority.</summary>
    public static JsonObject Preference(Judgement judgement)
    {
        // The contract's verdict is A or B only: a tie (no majority, or P exactly 0.5) is reported as A, with its P of 0.5.
        string verdict = judgement.Verdict == Verdict.B ? "B" : "A";
        return new JsonObject
        {
            ["p_a_better"] = judgement.ProbabilityABetter,
            ["verdict"] = verdict,
            ["rationale"] = Rationale(judgement),
        };
    }

    static string? Rationale(Judgement judgement)
    {
        if (judgement.Rationales is not { Count: > 0 } rationales) return null;
        int agreeing = judgement.Votes?.ToList().IndexOf(judgement.Verdict) ?? -1;
        return rationales[agreeing >= 0 ? agreeing : 0];
    }
}
