// The API reference page (/api/docs): Swagger UI over the generated OpenAPI document.
SwaggerUIBundle({
  url: "/api/v1/openapi.json",
  dom_id: "#ui",
  deepLinking: true,
  persistAuthorization: false,
  tryItOutEnabled: false,
});
