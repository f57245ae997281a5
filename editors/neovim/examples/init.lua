-- plimsoll in Neovim 0.11+ without the lsp/plimsoll.lua file: paste into init.lua.
-- The same configuration as ../lsp/plimsoll.lua, written inline.

vim.lsp.config('plimsoll', {
  cmd = { 'plimsoll', 'server' },
  filetypes = { 'dockerfile', 'yaml', 'json', 'yaml.docker-compose' },
  root_markers = { 'plimsoll.toml', '.plimsoll.toml', '.git' },
  settings = {
    plimsoll = {
      -- Every key is optional; see ../README.md.
      -- select = { 'ISO', 'SEC' },
      -- ignore = { 'image-tag-latest' },
      logLevel = 'warn',
    },
  },
  before_init = function(params, config)
    if config.init_options == nil and config.settings then
      params.initializationOptions = config.settings.plimsoll
    end
  end,
})
vim.lsp.enable('plimsoll')
