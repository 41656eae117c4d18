-- Driven by tests/lsp.rs in a headless Neovim (Debian bookworm's 0.7, so the 0.7 API:
-- vim.lsp.start_client and buf_attach_client): attach `nsi lsp` to a broken entry, read the
-- diagnostics it publishes, type a partial force slug, ask for completions, finish the slug,
-- and read the diagnostics again, all without saving. Everything read is written as JSON to
-- $NSI_NVIM_OUT; on any failure the error is written there instead and Neovim exits 1.
local out_path = vim.env.NSI_NVIM_OUT
local report = {}

local function finish(code)
  local file = io.open(out_path, 'w')
  file:write(vim.fn.json_encode(report))
  file:close()
  vim.cmd((code == 0) and 'qall!' or 'cquit! ' .. code)
end

local function codes(bufnr)
  local seen = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    table.insert(seen, { code = d.code, lnum = d.lnum, col = d.col, message = d.message,
      severity = d.severity, source = d.source })
  end
  table.sort(seen, function(a, b)
    if a.lnum ~= b.lnum then return a.lnum < b.lnum end
    return a.col < b.col
  end)
  return seen
end

local ok, err = pcall(function()
  vim.cmd('edit ' .. vim.fn.fnameescape(vim.env.NSI_ENTRY))
  local bufnr = vim.api.nvim_get_current_buf()
  local client = vim.lsp.start_client({
    name = 'nsi',
    cmd = { vim.env.NSI_BIN, 'lsp' },
    root_dir = vim.env.NSI_ROOT,
  })
  assert(client, 'nsi lsp did not start')
  vim.lsp.buf_attach_client(bufnr, client)

  assert(vim.wait(20000, function() return #vim.diagnostic.get(bufnr) > 0 end, 50),
    'no diagnostics arrived for the broken entry')
  report.opened = codes(bufnr)

  -- Type a partial force slug on the owner_force line, unsaved.
  local lines = vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)
  local owner
  for i, line in ipairs(lines) do
    if line:match('^owner_force:') then owner = i - 1 end
  end
  assert(owner, 'no owner_force line')
  vim.api.nvim_buf_set_lines(bufnr, owner, owner + 1, false, { 'owner_force: ke' })
  local answers = vim.lsp.buf_request_sync(bufnr, 'textDocument/completion', {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    position = { line = owner, character = 15 },
  }, 10000)
  assert(answers and answers[client], 'no answer to the completion request')
  assert(not answers[client].err, vim.inspect(answers[client].err))
  local result = answers[client].result
  local items = result.items or result
  report.completion = {}
  for _, item in ipairs(items) do
    table.insert(report.completion, { label = item.label, detail = item.detail,
      new_text = item.textEdit and item.textEdit.newText })
  end

  -- Finish the slug with the first choice, still unsaved: the owner finding goes away.
  vim.api.nvim_buf_set_lines(bufnr, owner, owner + 1, false, { 'owner_force: ' .. items[1].label })
  assert(vim.wait(20000, function()
    for _, d in ipairs(vim.diagnostic.get(bufnr)) do
      if d.code == 'NSI202' or d.code == 'NSI204' then return false end
    end
    return true
  end, 50), 'the owner findings stayed after the fix: ' .. vim.inspect(codes(bufnr)))
  report.edited = codes(bufnr)
  report.modified = vim.api.nvim_buf_get_option(bufnr, 'modified')
end)

if not ok then
  report.error = tostring(err)
  finish(1)
else
  finish(0)
end
