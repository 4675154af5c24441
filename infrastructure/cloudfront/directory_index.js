// CloudFront Function (viewer request, cloudfront-js-2.0) of the site's default behavior.
// template.yaml embeds this code in DirectoryIndexFunction; tests/infrastructure checks that
// both copies match and runs this file in Node.js.

function querySuffix(querystring) {
  var parts = [];
  for (var name in querystring) {
    var entry = querystring[name];
    var values = entry.multiValue ? entry.multiValue : [entry];
    for (var i = 0; i < values.length; i++) {
      var value = values[i].value;
      parts.push(value === '' ? name : name + '=' + value);
    }
  }
  return parts.length ? '?' + parts.join('&') : '';
}

function handler(event) {
  var request = event.request;
  var uri = request.uri;
  if (uri.endsWith('/')) {
    request.uri = uri + 'index.html';
    return request;
  }
  var lastSegment = uri.substring(uri.lastIndexOf('/') + 1);
  if (lastSegment.indexOf('.') === -1) {
    return {
      statusCode: 301,
      statusDescription: 'Moved Permanently',
      headers: {
        location: { value: uri + '/' + querySuffix(request.querystring) },
        'cache-control': { value: 'max-age=3600' }
      }
    };
  }
  return request;
}
