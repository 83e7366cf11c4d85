using GenRM.Text.Jinja;

namespace GenRM.Tests.Text.Jinja;

/// <summary>Constructs the fixture templates do not all use, checked against jinja2's outputs (noted per case), and the errors.</summary>
public sealed class JinjaTemplateTests
{
    static string Render(string source, params (string Name, object? Value)[] variables) =>
        JinjaTemplate.Parse(source).Render(variables.ToDictionary(v => v.Name, v => v.Value));

    [Theory]
    // Expected strings were printed by jinja2 3.1.2 with transformers' settings.
    [InlineData("{{ [1,'a',none,true,1.5,{'k':(1,2)}] }}|{{ \"it's\" }}|{{ 1/2 }}|{{ 7//2 }}|{{ -7//2 }}|{{ -7 % 3 }}|{{ 3.0 }}|{{ 1e20 }}|{{ 0.1+0.2 }}",
        "[1, 'a', None, True, 1.5, {'k': (1, 2)}]|it's|0.5|3|-4|2|3.0|1e+20|0.30000000000000004")]
    [InlineData("a\n  {% if true %}\n  x\n  {% endif %}  \nb {#- c -#} d\n", "a\n  x\n  \nbd")]
    [InlineData("{% for i in [1,2] %}{% if i == 2 %}[{{ x }}]{% endif %}{% set x = i %}{% endfor %}|{{ x }}", "[outer]|outer")]
    [InlineData("{% set ns = namespace(n=0) %}{% for i in range(10) %}{% if i == 2 %}{% continue %}{% endif %}{% if i > 4 %}{% break %}{% endif %}{% set ns.n = ns.n + i %}{% endfor %}{{ ns.n }}", "8")]
    [InlineData("{% macro greet(name, punct='!') %}Hi {{ name }}{{ punct }}{% endmacro %}{{ greet('A') }} {{ greet('B', punct='?') }}", "Hi A! Hi B?")]
    [InlineData("{% for k, v in {'a': 1, 'b': [2]}.items() %}{{ loop.index }}{{ k }}={{ v | tojson }}{{ ',' if not loop.last }}{% endfor %}", "1a=1,2b=[2]")]
    [InlineData("{{ {'x': 'é\"', 'y': [1, none]} | tojson(indent=2) }}", "{\n  \"x\": \"é\\\"\",\n  \"y\": [\n    1,\n    null\n  ]\n}")]
    [InlineData("{{ 'a<think>b</think> c'.split('</think>')[-1].lstrip() }}|{{ 'abc'[::-1] }}|{{ 'x y'.title() }}|{{ '  q '|trim }}|{{ 'Hi' ~ 1 }}", "c|cba|X Y|q|Hi1")]
    [InlineData("{% set s %}in{{ 1 + 1 }}{% endset %}{{ s }}|{{ y is defined }}|{{ none is none }}|{{ 'a' in 'cat' }}|{{ 3 is odd }}", "in2|False|True|True|True")]
    [InlineData("{{ users | selectattr('role', 'equalto', 'user') | map(attribute='n') | join(',') }}", "1,3")]
    public void RendersAsJinja2(string source, string expected) =>
        Assert.Equal(expected, Render(source, ("x", "outer"), ("users", new List<object?>
        {
            new Dictionary<string, object?> { ["role"] = "user", ["n"] = 1 },
            new Dictionary<string, object?> { ["role"] = "assistant", ["n"] = 2 },
            new Dictionary<string, object?> { ["role"] = "user", ["n"] = 3 },
        })));

    [Fact]
    public void TrimStripsPythonWhitespaceNotDotNetTrim()
    {
        // jinja2's trim is Python's str.strip(): it removes U+001C-U+001F, which .NET's Trim() keeps.
        string content = "\x1c\x1d\x1e\x1f\u0085 x \u3000\u200b";
        Assert.Equal("x \u3000\u200b", Render("{{ c | trim }}", ("c", content)));
        Assert.NotEqual(content.Trim(), Render("{{ c | trim }}", ("c", content)));
        Assert.Equal("x", Render("{{ c.strip() }}", ("c", "\x1f x\x1c")));
    }

    [Theory]
    [InlineData("{% include 'x' %}", "Unsupported tag '{% include %}'", 1, 4)]
    [InlineData("{{ x | wordwrap }}", "Unsupported filter 'wordwrap'", 1, 8)]
    [InlineData("a\n{{ x is sameas2 }}", "Unsupported test 'sameas2'", 2, 9)]
    [InlineData("{{ 'a'.splitlines() }}", "'str object' has no attribute 'splitlines'", 1, 18)]
    [InlineData("{% if x %}", "expected '{% elif %}' or '{% else %}' or '{% endif %}'", 1, 11)]
    [InlineData("a{% endif %}", "Unexpected '{% endif %}' with no open block", 1, 5)]
    [InlineData("a{% generation %}b", "expected '{% endgeneration %}'", 1, 19)]
    [InlineData("{% endgeneration %}", "Unexpected '{% endgeneration %}' with no open block", 1, 4)]
    [InlineData("{{ 'a' + 1 }}", "unsupported operand type(s) for +: 'str' and 'int'", 1, 8)]
    [InlineData("{{ missing.attr }}", "'missing' is undefined", 1, 11)]
    public void UnsupportedOrInvalidConstructsNameThemselvesAndWhere(string source, string message, int line, int column)
    {
        var error = Assert.Throws<JinjaException>(() => Render(source, ("x", "v")));
        Assert.Contains(message, error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal((line, column), (error.Line, error.Column));
    }

    [Fact]
    public void RaiseExceptionGivesTheTemplatesMessage() =>
        Assert.Equal("roles must alternate", Assert.Throws<JinjaRaisedException>(() => Render("{{ raise_exception('roles must alternate') }}")).Message);
}
