using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using IntegrationHub.AlloySandbox.Catalog;

namespace IntegrationHub.AlloySandbox.Modal;

/// <summary>
/// Renders the modal pages: self-contained HTML (no external assets: the iframe may be offline) with a nonce-based
/// CSP, never cached (the token is in the URL), frameable by any site (Alloy's modal is framed by its customers' apps).
/// </summary>
internal static class ModalPage
{
    private static readonly HtmlEncoder Html = HtmlEncoder.Default;

    private static readonly Dictionary<string, string> SampleValues = new(StringComparer.Ordinal)
    {
        ["shopSubdomain"] = "acme-store",
        ["leadSource"] = "Website",
        ["channel"] = "#general",
    };

    private static readonly Dictionary<string, string[]> SelectOptions = new(StringComparer.Ordinal)
    {
        ["orderStatus"] = ["Any status", "Open", "Closed"],
        ["ownerId"] = ["Round robin", "Integration owner"],
    };

    public static IResult Install(HttpContext http, InstallPageModel model)
    {
        var integration = model.Integration;
        var editing = model.Operation is "edit" or "update";
        var heading = model.Title ?? (editing ? $"Edit {integration.App}" : $"Connect {integration.App}");
        var body = new StringBuilder();
        body.Append(Header(integration.App, heading, integration.Description));
        body.Append("<form id=\"modal-form\" class=\"modal-body\" novalidate>");
        body.Append("<section aria-labelledby=\"workflows-title\"><h2 id=\"workflows-title\">Workflows</h2>");
        foreach (var item in model.Workflows)
        {
            var workflow = item.Workflow;
            body.Append(System.Globalization.CultureInfo.InvariantCulture,
                $"<fieldset class=\"workflow\" data-workflow-id=\"{Html.Encode(workflow.WorkflowId)}\" data-block-id=\"{Html.Encode(workflow.FormBlockId)}\">");
            body.Append(System.Globalization.CultureInfo.InvariantCulture,
                $"<legend><span class=\"workflow-name\">{Html.Encode(workflow.Name)}</span><span class=\"pill\">v{workflow.Version}</span>");
            if (item.Installed)
            {
                body.Append("<span class=\"pill pill-ok\">Installed</span>");
            }

            body.Append("</legend>");
            foreach (var field in workflow.FormFields)
            {
                body.Append(Field(workflow, field, model.PreFilledValues));
            }

            body.Append("</fieldset>");
        }

        body.Append("</section>");
        body.Append(Account(integration, model.AlwaysShowAuthentication));
        body.Append("<p id=\"modal-error\" class=\"error\" role=\"alert\" hidden></p>");
        body.Append(Actions(editing ? "Save" : "Connect"));
        body.Append("</form>");
        body.Append(Done($"{integration.App} is connected", "Your workflows are installed and active."));

        var config = Json(writer =>
        {
            writer.WriteString("mode", "install");
            writer.WriteString("connectUrl", model.ConnectUrl);
            writer.WriteString("integrationId", integration.IntegrationId);
            writer.WriteStartArray("workflowIds");
            foreach (var item in model.Workflows)
            {
                writer.WriteStringValue(item.Workflow.WorkflowId);
            }

            writer.WriteEndArray();
            writer.WriteBoolean("hide", model.Hide);
        });
        return Page(http, StatusCodes.Status200OK, heading, body.ToString(), config);
    }

    public static IResult Authenticate(HttpContext http, AuthenticatePageModel model)
    {
        var heading = $"Connect {model.DisplayName}";
        var body = new StringBuilder();
        body.Append(Header(model.DisplayName, heading, $"Authorize access to your {model.DisplayName} account."));
        body.Append("<form id=\"modal-form\" class=\"modal-body\" novalidate>");
        body.Append(System.Globalization.CultureInfo.InvariantCulture,
            $"<section aria-labelledby=\"account-title\"><h2 id=\"account-title\">Account</h2><p class=\"account\"><span class=\"dot\" aria-hidden=\"true\"></span>" +
            $"<span>The sandbox stores a stand-in <code>{Html.Encode(model.App)}</code> credential for you. No data leaves this machine.</span></p></section>");
        body.Append("<p id=\"modal-error\" class=\"error\" role=\"alert\" hidden></p>");
        body.Append(Actions("Connect"));
        body.Append("</form>");
        body.Append(Done($"{model.DisplayName} is connected", "You can close this window."));
        var config = Json(writer =>
        {
            writer.WriteString("mode", "authenticate");
            writer.WriteString("connectUrl", model.ConnectUrl);
            writer.WriteString("app", model.App);
        });
        return Page(http, StatusCodes.Status200OK, heading, body.ToString(), config);
    }

    /// <summary>An error inside the modal, with a Close button that closes it (the SDK's <c>closeModal</c>).</summary>
    public static IResult Error(HttpContext http, int status, string title, string message)
    {
        var body = Header("!", title, message) +
            "<div class=\"modal-body\"><div class=\"actions\"><button type=\"button\" class=\"secondary\" data-action=\"cancel\" " +
            "data-testid=\"alloy-sandbox-close\">Close</button></div></div>";
        return Page(http, status, title, body, Json(writer => writer.WriteString("mode", "error")));
    }

    private static string Header(string app, string heading, string description) =>
        $"<header class=\"modal-head\"><div class=\"logo\" data-app=\"{Html.Encode(app.ToLowerInvariant())}\" aria-hidden=\"true\">" +
        $"{Html.Encode(app[..1].ToUpperInvariant())}</div><div><h1 id=\"modal-title\">{Html.Encode(heading)}</h1>" +
        $"<p class=\"muted\">{Html.Encode(description)}</p></div></header>";

    private static string Field(CatalogWorkflow workflow, CatalogField field, IReadOnlyDictionary<string, string> preFilled)
    {
        var id = Html.Encode($"f-{workflow.WorkflowId}-{field.Name}");
        var name = Html.Encode(field.Name);
        var label = $"<label for=\"{id}\">{Html.Encode(field.DisplayName)}{(field.Required ? "<span class=\"required\" aria-hidden=\"true\"> *</span>" : string.Empty)}</label>";
        var required = field.Required ? " required aria-required=\"true\"" : string.Empty;
        var value = preFilled.GetValueOrDefault(field.Name) ?? SampleValues.GetValueOrDefault(field.Name) ?? (field.Required ? "sandbox" : string.Empty);
        if (field.Type == "select")
        {
            var options = SelectOptions.GetValueOrDefault(field.Name) ?? ["Default"];
            var rendered = string.Concat(options.Select(o =>
                $"<option{(o == value ? " selected" : string.Empty)}>{Html.Encode(o)}</option>"));
            return $"<div class=\"field\">{label}<select id=\"{id}\" name=\"{name}\"{required}>{rendered}</select></div>";
        }

        return $"<div class=\"field\">{label}<input id=\"{id}\" name=\"{name}\" type=\"text\" autocomplete=\"off\" value=\"{Html.Encode(value)}\"{required}></div>";
    }

    private static string Account(CatalogIntegration integration, bool expanded)
    {
        var apps = string.Join(", ", integration.Credentials.Select(c => $"<code>{Html.Encode(c)}</code>"));
        var detail = expanded
            ? "A new stand-in credential is created for this installation."
            : "A stored credential is reused, or a stand-in one is created.";
        return $"<section aria-labelledby=\"account-title\"><h2 id=\"account-title\">Account</h2><p class=\"account\">" +
            $"<span class=\"dot\" aria-hidden=\"true\"></span><span>Your {Html.Encode(integration.App)} account, {apps}. {Html.Encode(detail)}</span></p></section>";
    }

    private static string Actions(string primary) =>
        "<div class=\"actions\"><button type=\"button\" class=\"secondary\" data-action=\"cancel\" data-testid=\"alloy-sandbox-cancel\">Cancel</button>" +
        $"<button type=\"submit\" class=\"primary\" data-testid=\"alloy-sandbox-connect\">{Html.Encode(primary)}</button></div>";

    private static string Done(string title, string detail) =>
        $"<div id=\"modal-done\" class=\"done\" role=\"status\" hidden data-testid=\"alloy-sandbox-done\"><div class=\"check\" aria-hidden=\"true\">&#10003;</div>" +
        $"<h2>{Html.Encode(title)}</h2><p class=\"muted\">{Html.Encode(detail)}</p></div>";

    private static string Json(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        // The default encoder escapes <, > and &: safe inside a <script> element.
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.Default }))
        {
            writer.WriteStartObject();
            write(writer);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static IResult Page(HttpContext http, int status, string title, string body, string config)
    {
        var nonce = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        var headers = http.Response.Headers;
        headers.CacheControl = "no-store";
        headers["Referrer-Policy"] = "no-referrer";
        headers.ContentSecurityPolicy =
            $"default-src 'none'; script-src 'nonce-{nonce}'; style-src 'nonce-{nonce}'; connect-src 'self'; img-src data:; " +
            "base-uri 'none'; form-action 'none'; frame-ancestors *";
        var html = $$"""
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{{Html.Encode(title)}} · Alloy sandbox</title>
            <style nonce="{{nonce}}">{{Styles}}</style>
            </head>
            <body>
            <main class="modal" aria-labelledby="modal-title">
            {{body}}
            <p class="sandbox-note">Alloy sandbox · a local stand-in for Alloy's modal</p>
            </main>
            <script type="application/json" id="modal-config">{{config}}</script>
            <script nonce="{{nonce}}">{{Script}}</script>
            </body>
            </html>
            """;
        return Results.Content(html, "text/html; charset=utf-8", Encoding.UTF8, status);
    }

    private const string Styles = """
        :root { color-scheme: light; --ink: #111827; --muted: #6b7280; --line: #e5e7eb; --accent: #4f46e5; --accent-ink: #fff; --ok: #047857; --bad: #b91c1c; }
        * { box-sizing: border-box; }
        [hidden] { display: none !important; }
        html, body { margin: 0; height: 100%; }
        body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--ink); background: #fff; }
        .modal { display: flex; flex-direction: column; min-height: 100%; padding: 24px 24px 12px; }
        .modal-head { display: flex; gap: 14px; align-items: flex-start; padding-bottom: 16px; border-bottom: 1px solid var(--line); }
        .logo { flex: none; width: 44px; height: 44px; border-radius: 12px; display: grid; place-items: center; font-weight: 700; font-size: 20px; color: #fff; background: #6366f1; }
        .logo[data-app="shopify"] { background: #5e8e3e; } .logo[data-app="salesforce"] { background: #0b76bc; } .logo[data-app="slack"] { background: #4a154b; } .logo[data-app="!"] { background: var(--bad); }
        h1 { font-size: 18px; margin: 2px 0 4px; } h2 { font-size: 12px; letter-spacing: .06em; text-transform: uppercase; color: var(--muted); margin: 18px 0 8px; }
        .muted { color: var(--muted); margin: 0; }
        .modal-body { display: flex; flex-direction: column; flex: 1; }
        fieldset.workflow { border: 1px solid var(--line); border-radius: 10px; padding: 10px 14px 12px; margin: 0 0 10px; }
        legend { display: flex; gap: 6px; align-items: center; padding: 0 4px; font-weight: 600; }
        .pill { font-size: 11px; font-weight: 600; padding: 1px 7px; border-radius: 999px; background: #eef2ff; color: #3730a3; }
        .pill-ok { background: #ecfdf5; color: var(--ok); }
        .field { display: flex; flex-direction: column; gap: 4px; margin-top: 8px; }
        label { font-size: 13px; font-weight: 500; } .required { color: var(--bad); }
        input, select { font: inherit; padding: 7px 10px; border: 1px solid #d1d5db; border-radius: 8px; background: #fff; color: var(--ink); }
        input:focus-visible, select:focus-visible, button:focus-visible { outline: 2px solid var(--accent); outline-offset: 2px; }
        input[aria-invalid="true"] { border-color: var(--bad); }
        .account { display: flex; gap: 8px; align-items: baseline; margin: 0; color: #374151; }
        .dot { flex: none; width: 8px; height: 8px; border-radius: 50%; background: var(--ok); transform: translateY(-1px); }
        code { font: 12px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: #f3f4f6; padding: 1px 5px; border-radius: 4px; }
        .error { color: var(--bad); background: #fef2f2; border: 1px solid #fecaca; border-radius: 8px; padding: 8px 10px; margin: 12px 0 0; }
        .actions { display: flex; justify-content: flex-end; gap: 10px; margin-top: auto; padding-top: 18px; }
        button { font: inherit; font-weight: 600; border-radius: 8px; padding: 9px 18px; cursor: pointer; border: 1px solid transparent; }
        button.primary { background: var(--accent); color: var(--accent-ink); } button.primary:hover { background: #4338ca; }
        button.secondary { background: #fff; color: var(--ink); border-color: #d1d5db; } button.secondary:hover { background: #f9fafb; }
        button[disabled] { opacity: .6; cursor: progress; }
        .done { flex: 1; display: flex; flex-direction: column; align-items: center; justify-content: center; text-align: center; gap: 6px; }
        .done[hidden] { display: none; } .done h2 { font-size: 18px; text-transform: none; letter-spacing: 0; color: var(--ink); margin: 8px 0 0; }
        .check { width: 56px; height: 56px; border-radius: 50%; display: grid; place-items: center; font-size: 28px; color: #fff; background: var(--ok); }
        .sandbox-note { text-align: center; font-size: 11px; color: #9ca3af; margin: 14px 0 0; }
        """;

    // Posts to the parent exactly what alloy-frontend 2.1.1 listens for (it checks the origin and these keys):
    // install: {workflowCreated, workflowIds} then {closeModal}; authenticate: {closeModal, connectionStatus, credentialId};
    // cancel: {closeModal} alone, so the SDK's callback reports success false; {showModal} when the SDK hid the modal.
    private const string Script = """
        (function () {
          "use strict";
          var config = JSON.parse(document.getElementById("modal-config").textContent);
          var token = new URLSearchParams(window.location.search).get("token") || "";
          var ancestors = window.location.ancestorOrigins;
          var parentOrigin = ancestors && ancestors.length && /^https?:\/\/[^/]+$/.test(ancestors[0]) ? ancestors[0] : "*";
          function post(message) { if (window.parent !== window) { window.parent.postMessage(message, parentOrigin); } }
          document.querySelectorAll('[data-action="cancel"]').forEach(function (button) {
            button.addEventListener("click", function () { post({ closeModal: true }); });
          });
          if (config.hide) { post({ showModal: true }); }
          var form = document.getElementById("modal-form");
          if (!form) { return; }
          var errorBox = document.getElementById("modal-error");
          var submit = form.querySelector('button[type="submit"]');
          function showError(message) { errorBox.textContent = message; errorBox.hidden = false; submit.disabled = false; submit.removeAttribute("aria-busy"); }
          function payload() {
            if (config.mode === "authenticate") { return { app: config.app }; }
            var data = Array.prototype.map.call(form.querySelectorAll("fieldset[data-workflow-id]"), function (set) {
              return {
                workflowId: set.getAttribute("data-workflow-id"),
                blockId: set.getAttribute("data-block-id"),
                fields: Array.prototype.map.call(set.querySelectorAll("input, select"), function (input) { return { name: input.name, value: input.value }; })
              };
            });
            return { integrationId: config.integrationId, workflowIds: config.workflowIds, data: data };
          }
          form.addEventListener("submit", function (event) {
            event.preventDefault();
            var invalid = null;
            form.querySelectorAll("[required]").forEach(function (input) {
              var empty = !input.value.trim();
              input.setAttribute("aria-invalid", empty ? "true" : "false");
              if (empty && !invalid) { invalid = input; }
            });
            if (invalid) { invalid.focus(); showError("Fill in the required fields."); return; }
            errorBox.hidden = true; submit.disabled = true; submit.setAttribute("aria-busy", "true");
            fetch(config.connectUrl, {
              method: "POST",
              headers: { "Content-Type": "application/json", "x-alloy-user-token": token },
              body: JSON.stringify(payload())
            }).then(function (response) {
              return response.json().catch(function () { return {}; }).then(function (body) {
                if (!response.ok) { throw new Error(body.message || ("The sandbox answered " + response.status + ".")); }
                return body;
              });
            }).then(function (result) {
              form.hidden = true;
              document.getElementById("modal-done").hidden = false;
              if (config.mode === "install") {
                post({ workflowCreated: true, workflowIds: result.workflowIds });
                post({ closeModal: true });
              } else {
                post({ closeModal: true, connectionStatus: "success", credentialId: result.credentialId });
              }
            }).catch(function (error) { showError(error.message || "Connecting failed."); });
          });
        })();
        """;
}
