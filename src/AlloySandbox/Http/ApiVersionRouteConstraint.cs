using System.Globalization;

namespace IntegrationHub.AlloySandbox.Http;

/// <summary>Matches a dated API version segment such as <c>2024-03</c> (<c>\d{4}-\d{2}</c>).</summary>
internal sealed class ApiVersionRouteConstraint : IRouteConstraint
{
    public const string Name = "alloyApiVersion";

    public bool Match(HttpContext? httpContext, IRouter? route, string routeKey, RouteValueDictionary values, RouteDirection routeDirection) =>
        values.TryGetValue(routeKey, out var value)
        && Convert.ToString(value, CultureInfo.InvariantCulture) is { } text
        && IsApiVersion(text);

    public static bool IsApiVersion(string text) =>
        text.Length == 7
        && char.IsAsciiDigit(text[0]) && char.IsAsciiDigit(text[1]) && char.IsAsciiDigit(text[2]) && char.IsAsciiDigit(text[3])
        && text[4] == '-'
        && char.IsAsciiDigit(text[5]) && char.IsAsciiDigit(text[6]);
}
