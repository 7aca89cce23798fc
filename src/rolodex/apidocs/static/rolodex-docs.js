// Starts Swagger UI on a Rolodex docs page. The #ui element names the OpenAPI document
// (data-spec) and, on the Ticket Evolution door's page, asks for every "Try it out" request to
// be signed (data-sign="tevo"): the secret typed into the X-Signature box stays in the browser,
// and the request carries base64(HMAC-SHA256(secret, string to sign)) instead, as the door
// expects (docs/tevo.md). The HMAC is computed here, synchronously, so Swagger UI shows the
// signed request (never the secret) and it works on any origin, not only a secure one.
(function () {
  "use strict";

  // --- SHA-256 and HMAC over bytes (FIPS 180-4, RFC 2104) ---------------------------------
  var K = [0x428a2f98,0x71374491,0xb5c0fbcf,0xe9b5dba5,0x3956c25b,0x59f111f1,0x923f82a4,0xab1c5ed5,0xd807aa98,0x12835b01,0x243185be,0x550c7dc3,0x72be5d74,0x80deb1fe,0x9bdc06a7,0xc19bf174,0xe49b69c1,0xefbe4786,0x0fc19dc6,0x240ca1cc,0x2de92c6f,0x4a7484aa,0x5cb0a9dc,0x76f988da,0x983e5152,0xa831c66d,0xb00327c8,0xbf597fc7,0xc6e00bf3,0xd5a79147,0x06ca6351,0x14292967,0x27b70a85,0x2e1b2138,0x4d2c6dfc,0x53380d13,0x650a7354,0x766a0abb,0x81c2c92e,0x92722c85,0xa2bfe8a1,0xa81a664b,0xc24b8b70,0xc76c51a3,0xd192e819,0xd6990624,0xf40e3585,0x106aa070,0x19a4c116,0x1e376c08,0x2748774c,0x34b0bcb5,0x391c0cb3,0x4ed8aa4a,0x5b9cca4f,0x682e6ff3,0x748f82ee,0x78a5636f,0x84c87814,0x8cc70208,0x90befffa,0xa4506ceb,0xbef9a3f7,0xc67178f2];
  var H0 = [0x6a09e667,0xbb67ae85,0x3c6ef372,0xa54ff53a,0x510e527f,0x9b05688c,0x1f83d9ab,0x5be0cd19];

  function sha256(bytes) {
    var length = bytes.length;
    var padded = new Uint8Array(((length + 9 + 63) >> 6) << 6);
    padded.set(bytes);
    padded[length] = 0x80;
    var bits = length * 8;
    var view = new DataView(padded.buffer);
    view.setUint32(padded.length - 8, Math.floor(bits / 0x100000000));
    view.setUint32(padded.length - 4, bits >>> 0);
    var h = H0.slice();
    var w = new Array(64);
    for (var offset = 0; offset < padded.length; offset += 64) {
      for (var t = 0; t < 64; t++) {
        if (t < 16) {
          w[t] = view.getUint32(offset + t * 4);
        } else {
          var a = w[t - 15], b = w[t - 2];
          var s0 = rotr(a, 7) ^ rotr(a, 18) ^ (a >>> 3);
          var s1 = rotr(b, 17) ^ rotr(b, 19) ^ (b >>> 10);
          w[t] = (w[t - 16] + s0 + w[t - 7] + s1) | 0;
        }
      }
      var v = h.slice();
      for (var i = 0; i < 64; i++) {
        var e = v[4];
        var t1 = (v[7] + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) +
                  ((e & v[5]) ^ (~e & v[6])) + K[i] + w[i]) | 0;
        var x = v[0];
        var t2 = ((rotr(x, 2) ^ rotr(x, 13) ^ rotr(x, 22)) +
                  ((x & v[1]) ^ (x & v[2]) ^ (v[1] & v[2]))) | 0;
        v = [(t1 + t2) | 0, v[0], v[1], v[2], (v[3] + t1) | 0, v[4], v[5], v[6]];
      }
      for (var j = 0; j < 8; j++) h[j] = (h[j] + v[j]) | 0;
    }
    var out = new Uint8Array(32);
    var outView = new DataView(out.buffer);
    for (var k = 0; k < 8; k++) outView.setUint32(k * 4, h[k] >>> 0);
    return out;
  }

  function rotr(value, count) {
    return (value >>> count) | (value << (32 - count));
  }

  function hmacSha256(key, message) {
    if (key.length > 64) key = sha256(key);
    var inner = new Uint8Array(64 + message.length);
    var outer = new Uint8Array(64 + 32);
    for (var i = 0; i < 64; i++) {
      var byte = i < key.length ? key[i] : 0;
      inner[i] = byte ^ 0x36;
      outer[i] = byte ^ 0x5c;
    }
    inner.set(message, 64);
    outer.set(sha256(inner), 64);
    return sha256(outer);
  }

  function utf8(text) {
    return new TextEncoder().encode(text);
  }

  function base64(bytes) {
    var text = "";
    for (var i = 0; i < bytes.length; i++) text += String.fromCharCode(bytes[i]);
    return btoa(text);
  }

  // --- the string the Ticket Evolution door signs ---------------------------------------------

  function compareBytes(a, b) {
    for (var i = 0; i < Math.min(a.length, b.length); i++) {
      if (a[i] !== b[i]) return a[i] - b[i];
    }
    return a.length - b.length;
  }

  // The query string's pieces, stably sorted by their decoded key, each kept as sent.
  function sortedQuery(query) {
    var pieces = query.split("&").filter(function (p) { return p !== ""; });
    var keyed = pieces.map(function (piece, index) {
      var key = piece.split("=")[0].replace(/\+/g, " ");
      try { key = decodeURIComponent(key); } catch (e) { /* kept as sent */ }
      return { piece: piece, key: utf8(key), index: index };
    });
    keyed.sort(function (a, b) { return compareBytes(a.key, b.key) || a.index - b.index; });
    return keyed.map(function (k) { return k.piece; }).join("&");
  }

  function signTevo(request) {
    if (request.loadSpec) return request;
    var headers = request.headers || {};
    var secret = null;
    Object.keys(headers).forEach(function (name) {
      if (name.toLowerCase() === "x-signature") {
        secret = headers[name];
        delete headers[name];
      }
    });
    if (!secret) return request;
    var url = new URL(request.url, window.location.href);
    var method = (request.method || "GET").toUpperCase();
    var body = typeof request.body === "string" ? request.body : "";
    var rest = (method === "POST" || method === "PUT" || method === "PATCH" ||
                (method === "DELETE" && body))
      ? body : sortedQuery(url.search.replace(/^\?/, ""));
    var message = method + " " + url.host + url.pathname + "?" + rest;
    headers["X-Signature"] = base64(hmacSha256(utf8(secret), utf8(message)));
    request.headers = headers;
    return request;
  }

  window.rolodexDocs = { sha256: sha256, hmacSha256: hmacSha256, sortedQuery: sortedQuery };

  var element = document.getElementById("ui");
  window.ui = SwaggerUIBundle({
    url: element.dataset.spec,
    dom_id: "#ui",
    deepLinking: true,
    persistAuthorization: true,
    displayRequestDuration: true,
    validatorUrl: null,
    requestInterceptor: element.dataset.sign === "tevo" ? signTevo : function (r) { return r; }
  });
})();
