-- plimsoll's language server for Neovim 0.11+.
--
-- Put the folder that holds this `lsp/` directory on 'runtimepath' (or copy this file to
-- ~/.config/nvim/lsp/plimsoll.lua) and call `vim.lsp.enable('plimsoll')`. Override any field with
-- `vim.lsp.config('plimsoll', { ... })`; Neovim merges it over this table.

---@type vim.lsp.Config
return {
  cmd = { 'plimsoll', 'server' },

  -- The server decides by file name and content what it lints (Dockerfile, Compose, Kubernetes, IAM
  -- policy) and stays silent on any other YAML or JSON, so attaching to every YAML and JSON buffer is safe.
  -- `yaml.docker-compose` is the compound filetype some setups give Compose files.
  filetypes = { 'dockerfile', 'yaml', 'json', 'yaml.docker-compose' },

  -- A flat list, the form every 0.11 release reads (nested equal-priority lists came later). The root only
  -- anchors a relative `config` path: each file still takes its settings from its nearest plimsoll.toml.
  root_markers = { 'plimsoll.toml', '.plimsoll.toml', '.git' },

  -- Answered to the server's `workspace/configuration` request for section `plimsoll`. Every key is optional:
  --   config       = 'ci/plimsoll.toml',      -- one config for every file (relative to the root), like --config
  --   isolated     = true,                    -- ignore plimsoll.toml files
  --   select       = { 'ISO', 'SEC' },        -- rule selectors: family, code, kebab name or peer alias
  --   extendSelect = { 'DL3002' },
  --   ignore       = { 'image-tag-latest' },
  --   logLevel     = 'info',                  -- error | warn | info | debug | trace (see :LspLog)
  -- `vim.empty_dict()` so that an empty object goes out as `{}`, not as the empty array `[]`.
  settings = {
    plimsoll = vim.empty_dict(),
  },

  -- The same settings object also goes out as `initializationOptions`, so the server has it before it lints
  -- the first buffer instead of after its first configuration round trip. An explicit `init_options` wins.
  before_init = function(params, config)
    if config.init_options == nil and config.settings then
      params.initializationOptions = config.settings.plimsoll
    end
  end,
}
