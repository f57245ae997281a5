-- plimsoll in Neovim 0.8 to 0.10, which have no vim.lsp.config: start the client from a FileType autocmd.
-- vim.lsp.start reuses the running client when the name and root directory match, so each project gets one
-- server however many buffers it opens. (Neovim 0.11+ also runs this, but ../lsp/plimsoll.lua is simpler.)

-- Older Neovim releases may not know these Dockerfile names; declaring them again is harmless.
vim.filetype.add({
  extension = { dockerfile = 'dockerfile' },
  filename = { Containerfile = 'dockerfile' },
  pattern = {
    ['Dockerfile%..*'] = 'dockerfile',
    ['Containerfile%..*'] = 'dockerfile',
  },
})

-- Every key is optional; see ../README.md. vim.empty_dict() keeps an empty table a JSON object.
local plimsoll_settings = vim.empty_dict()

vim.api.nvim_create_autocmd('FileType', {
  group = vim.api.nvim_create_augroup('plimsoll', { clear = true }),
  pattern = { 'dockerfile', 'yaml', 'json', 'yaml.docker-compose' },
  callback = function(args)
    local file = vim.api.nvim_buf_get_name(args.buf)
    if file == '' then
      return -- an unnamed buffer has no path for the server to classify
    end
    local marker = vim.fs.find({ 'plimsoll.toml', '.plimsoll.toml', '.git' }, {
      upward = true,
      path = vim.fs.dirname(file),
    })[1]
    vim.lsp.start({
      name = 'plimsoll',
      cmd = { 'plimsoll', 'server' },
      root_dir = marker and vim.fs.dirname(marker) or vim.fn.getcwd(),
      settings = { plimsoll = plimsoll_settings },
      init_options = plimsoll_settings,
    }, { bufnr = args.buf })
  end,
})
