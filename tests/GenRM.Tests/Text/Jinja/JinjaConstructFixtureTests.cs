using System.Text.Json;
using GenRM.Text.Jinja;

namespace GenRM.Tests.Text.Jinja;

/// <summary>
/// Single constructs (whitespace control, literals, slicing, repr, str/dict methods, tests, filters,
/// tojson options, loops, macros, scoping, errors) render as jinja2 rendered them
/// (Fixtures/chat-templates/constructs/snippets.json, from tools/make_chat_template_reference.py).
/// </summary>
public sealed class JinjaConstructFixtureTests
{
    static readonly string File = TestPaths.Fixtures("chat-templates", "constructs", "snippets.json");

    public static TheoryData<int> Cases
    {
        get
        {
            using var fixture = JsonDocument.Parse(System.IO.File.ReadAllText(File));
            return new(Enumerable.Range(0, fixture.RootElement.GetProperty("cases").GetArrayLength()));
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void RendersAsJinja2(int index)
    {
        using var fixture = JsonDocument.Parse(System.IO.File.ReadAllText(File));
        var item = fixture.RootElement.GetProperty("cases")[index];
        string source = item.GetProperty("source").GetString()!;
        var variables = fixture.RootElement.GetProperty("variables").EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value.Clone());
        if (item.TryGetProperty("error", out var error))
        {
            var thrown = Assert.ThrowsAny<Exception>(() => JinjaTemplate.Parse(source).Render(variables));
            if (item.GetProperty("raised").GetBoolean())
                Assert.Equal(error.GetString(), Assert.IsType<JinjaRaisedException>(thrown).Message);
            else
                Assert.IsType<JinjaException>(thrown);
            return;
        }
        Assert.Equal(item.GetProperty("expected").GetString(), JinjaTemplate.Parse(source).Render(variables));
    }
}
