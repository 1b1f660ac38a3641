// GraphiQL's settings for graphene-django's graphiql.js, read from this script's
// data attributes (cms/templates/graphene/graphiql.html) rather than set by an
// inline script, which the Content-Security-Policy does not allow.
(function (data) {
  window.GRAPHENE_SETTINGS = {
    subscriptionPath: data.subscriptionPath,
    graphiqlHeaderEditorEnabled: data.headerEditorEnabled === "true",
    graphiqlShouldPersistHeaders: data.shouldPersistHeaders === "true",
    graphiqlInputValueDeprecation: data.inputValueDeprecation === "true",
  };
})(document.currentScript.dataset);
