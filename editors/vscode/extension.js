// Starts `forfait lsp` for .forfait files: diagnostics, hover, completion, rename,
// formatting and the rest come from the server; this file only launches it.
'use strict';

const vscode = require('vscode');
const { LanguageClient } = require('vscode-languageclient/node');

let client;

function activate(context) {
  const command = vscode.workspace.getConfiguration('forfait').get('server.path') || 'forfait';
  const server = { command, args: ['lsp'] };
  client = new LanguageClient(
    'forfait',
    'forfait',
    { run: server, debug: server },
    { documentSelector: [{ language: 'forfait' }] },
  );
  context.subscriptions.push(client);
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
