// ASP.NET Core minimal API protected with Microsoft.Identity.Web (NuGet: Microsoft.Identity.Web).
// Not run by the lab's tests: the lab has no .NET. Settings are in appsettings.json ("AzureAd").
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Identity.Web;

var builder = WebApplication.CreateBuilder(args);

// Validates signature (keys from the tenant's metadata, refreshed on rotation), issuer, audience
// (ClientId and api://ClientId both accepted) and lifetime (5 minutes of clock skew by default).
builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
    .AddMicrosoftIdentityWebApi(builder.Configuration.GetSection("AzureAd"));

// Delegated tokens need one of the scopes in `scp`; app-only tokens one of the app roles in `roles`.
builder.Services.AddAuthorization(options =>
    options.AddPolicy("TasksRead", policy => policy.RequireScopeOrAppPermission(
        builder.Configuration.GetSection("AzureAd:Scopes:Read").Get<string[]>(),
        builder.Configuration.GetSection("AzureAd:AppPermissions:Read").Get<string[]>())));

var app = builder.Build();
app.UseAuthentication();
app.UseAuthorization();

app.MapGet("/api/tasks", (HttpContext context) => Results.Ok(new { owner = context.User.GetObjectId() }))
    .RequireAuthorization("TasksRead");

app.Run();
