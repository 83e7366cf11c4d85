using System.Text.Json;
using System.Text.Json.Nodes;

namespace GenRM.Modeling;

/// <summary>
/// <c>config.json</c> fields that would change the forward pass in a way this implementation does
/// not model (from other families' transformers code: Gemma, Phi, Granite, Llama 4 ...). Each is
/// refused, naming the field, unless it holds its neutral value; a neutral value changes nothing.
/// The fields this implementation honours are read in <see cref="ModelConfig"/>.
/// </summary>
public static class UnsupportedConfigFields
{
    /// <summary>One field and the values that leave the Llama forward pass unchanged.</summary>
    /// <param name="Field">The <c>config.json</c> key.</param>
    /// <param name="Neutral">The values accepted (absence and null are always accepted).</param>
    /// <param name="Effect">What the field would do, for the error message.</param>
    public sealed record Check(string Field, IReadOnlyList<JsonNode> Neutral, string Effect);

    /// <summary>The checked fields, in the order the README lists them.</summary>
    public static readonly IReadOnlyList<Check> Checks =
    [
        new("hidden_act", ["silu", "swish"], "the MLP activation (only SiLU is implemented)"),
        new("partial_rotary_factor", [1, 1.0], "rotary embeddings on part of each head"),
        new("attn_logit_softcapping", [], "tanh soft-capping of attention scores"),
        new("final_logit_softcapping", [], "tanh soft-capping of the output logits"),
        new("query_pre_attn_scalar", [], "an attention scale other than 1/sqrt(head_dim)"),
        new("use_qk_norm", [false], "a norm of queries and keys"),
        new("qk_layernorm", [false], "a layer norm of queries and keys"),
        new("attention_chunk_size", [], "chunked local attention"),
        new("sliding_window_pattern", [], "a repeating pattern of sliding-window layers"),
        new("use_bidirectional_attention", [false], "attention without the causal mask"),
        new("embedding_multiplier", [1, 1.0], "scaled token embeddings"),
        new("residual_multiplier", [1, 1.0], "scaled residual branches"),
        new("attention_multiplier", [], "an attention scale other than 1/sqrt(head_dim)"),
        new("logits_scaling", [1, 1.0], "scaled output logits"),
    ];

    /// <summary>Throws <see cref="BadInputException"/> naming the first field that holds a value the forward pass would not honour.</summary>
    public static void Refuse(JsonObject json, string source)
    {
        foreach (Check check in Checks)
        {
            JsonNode? value = json[check.Field];
            if (value is null || value.GetValueKind() == JsonValueKind.Null || check.Neutral.Any(n => JsonNode.DeepEquals(n, value)))
                continue;
            throw BadInputException.About(source,
                $"field '{check.Field}' is {value.ToJsonString()}: {check.Effect} is not implemented, so the model would compute something else; refusing rather than ignoring it.");
        }
    }
}
