// Starts GraphiQL against this platform's /graphql (or ?path=...). The API key goes in the Headers tab:
// {"Authorization": "Bearer afn_live_..."}.
(function () {
  var params = new URLSearchParams(window.location.search);
  var path = params.get('path') || '/graphql';
  var fetcher = GraphiQL.createFetcher({ url: window.location.origin + path });
  var root = ReactDOM.createRoot(document.getElementById('graphiql'));
  root.render(React.createElement(GraphiQL, {
    fetcher: fetcher,
    defaultEditorToolsVisibility: true,
    shouldPersistHeaders: true,
    defaultHeaders: '{"Authorization": "Bearer <your API key>"}'
  }));
})();
