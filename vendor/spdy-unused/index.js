'use strict';
// restify 11 calls spdy.createServer only when a server is created with options.spdy; this bot never does.
module.exports = {
  createServer() {
    throw new Error('HTTP/2 over spdy is not part of this bot: create the restify server without options.spdy.');
  },
};
