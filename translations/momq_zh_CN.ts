<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AuthoringView</name>
    <message>
        <source>Valid queries only</source>
        <translation>仅生成有效查询</translation>
    </message>
    <message>
        <source>Let the model write only queries of the dialect&apos;s grammar that name the schema&apos;s tables, columns, labels, relationship types and properties</source>
        <translation>只允许模型写出符合该方言语法、且只引用 schema 中的表、列、标签、关系类型和属性的查询</translation>
    </message>
    <message>
        <source>Page %1 of %2</source>
        <translation>第 %1 页，共 %2 页</translation>
    </message>
    <message>
        <source>Export Results</source>
        <translation>导出结果</translation>
    </message>
    <message>
        <source>CSV (*.csv);;JSON (*.json)</source>
        <translation>CSV (*.csv);;JSON (*.json)</translation>
    </message>
    <message>
        <source>Cannot write %1</source>
        <translation>无法写入 %1</translation>
    </message>
    <message>
        <source>Database:</source>
        <translation>数据库：</translation>
    </message>
    <message>
        <source>Question:</source>
        <translation>问题：</translation>
    </message>
    <message>
        <source>Ask in English or Chinese, e.g. “Which players are older than 30?”</source>
        <translation>用中文或英文提问，例如“哪些球员的年龄大于30？”</translation>
    </message>
    <message>
        <source>Generate</source>
        <translation>生成</translation>
    </message>
    <message>
        <source>Generate a query in every ticked dialect (Ctrl+Return)</source>
        <translation>为每个勾选的方言生成查询（Ctrl+Return）</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Copy this dialect&apos;s query (Ctrl+Shift+C)</source>
        <translation>复制该方言的查询（Ctrl+Shift+C）</translation>
    </message>
    <message>
        <source>Copy all</source>
        <translation>全部复制</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <source>Run this query read-only on the database&apos;s connection (Ctrl+R)</source>
        <translation>通过数据库连接以只读方式运行此查询（Ctrl+R）</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <source>No model loaded yet: queries cannot be generated until one is.</source>
        <translation>尚未加载模型：加载模型后才能生成查询。</translation>
    </message>
    <message>
        <source>Model: %1</source>
        <translation>模型：%1</translation>
    </message>
    <message>
        <source>Type a question first.</source>
        <translation>请先输入问题。</translation>
    </message>
    <message>
        <source>This project has no database schema yet: import one from the Database menu.</source>
        <translation>此项目还没有数据库 Schema：请通过“数据库”菜单导入。</translation>
    </message>
    <message>
        <source>Tick at least one dialect.</source>
        <translation>请至少勾选一种方言。</translation>
    </message>
    <message>
        <source>Generating…</source>
        <translation>正在生成…</translation>
    </message>
    <message>
        <source>Generation cancelled.</source>
        <translation>已取消生成。</translation>
    </message>
    <message>
        <source>Done.</source>
        <translation>完成。</translation>
    </message>
    <message>
        <source>Copied the %1 query.</source>
        <translation>已复制 %1 查询。</translation>
    </message>
    <message>
        <source>Copied all queries.</source>
        <translation>已复制全部查询。</translation>
    </message>
    <message>
        <source>Nothing to run: the %1 editor is empty.</source>
        <translation>没有可运行的内容：%1 编辑器为空。</translation>
    </message>
    <message>
        <source>Running…</source>
        <translation>正在运行…</translation>
    </message>
    <message>
        <source>%1 rows (cut at the row limit).</source>
        <translation>%1 行（已在行数上限处截断）。</translation>
    </message>
    <message>
        <source>%1 rows.</source>
        <translation>%1 行。</translation>
    </message>
    <message>
        <source>No model is loaded yet: wait until it is, or open a project that has one.</source>
        <translation>尚未加载模型：请等待加载完成，或打开一个带有模型的项目。</translation>
    </message>
    <message>
        <source>1 row.</source>
        <translation>1 行。</translation>
    </message>
</context>
<context>
    <name>EngineFacade</name>
    <message>
        <source>%1 (%2 M parameters)%3</source>
        <translation>%1（%2 M 参数）%3</translation>
    </message>
    <message>
        <source> with adapter %1</source>
        <translation>，适配器 %1</translation>
    </message>
    <message>
        <source>No model is loaded.</source>
        <translation>没有加载模型。</translation>
    </message>
    <message>
        <source>no schema for %1 in this project</source>
        <translation>此项目中没有 %1 的 Schema</translation>
    </message>
    <message>
        <source>the schema does not fit the model&apos;s context, even cut down</source>
        <translation>即使裁剪后，Schema 仍超出模型的上下文长度</translation>
    </message>
    <message>
        <source>A training run is already going.</source>
        <translation>已有训练正在进行。</translation>
    </message>
    <message>
        <source>after step %1, with a checkpoint</source>
        <translation>于第 %1 步之后，检查点已保存</translation>
    </message>
    <message>
        <source>Parses (%1).</source>
        <translation>可以解析（%1）。</translation>
    </message>
    <message>
        <source>Does not parse: %1 (%2)</source>
        <translation>无法解析：%1（%2）</translation>
    </message>
    <message>
        <source>Not checked before running (no offline parser).</source>
        <translation>运行前未检查（没有离线解析器）。</translation>
    </message>
    <message>
        <source>Finished after %1 steps.</source>
        <translation>训练完成，共 %1 步。</translation>
    </message>
    <message>
        <source>An evaluation is already running.</source>
        <translation>已有评估正在运行。</translation>
    </message>
</context>
<context>
    <name>EvaluationView</name>
    <message>
        <source>Open Evaluation Report</source>
        <translation>打开评估报告</translation>
    </message>
    <message>
        <source>Reports (*.json)</source>
        <translation>报告 (*.json)</translation>
    </message>
    <message>
        <source>Open report…</source>
        <translation>打开报告…</translation>
    </message>
    <message>
        <source>Compare with…</source>
        <translation>对比…</translation>
    </message>
    <message>
        <source>All items</source>
        <translation>全部条目</translation>
    </message>
    <message>
        <source>Cannot open %1</source>
        <translation>无法打开 %1</translation>
    </message>
    <message>
        <source>%1 is not an evaluation report (expected &quot;dialects&quot; and &quot;items&quot;)</source>
        <translation>%1 不是评估报告（应包含 “dialects” 和 “items”）</translation>
    </message>
    <message>
        <source>dialect</source>
        <translation>方言</translation>
    </message>
    <message>
        <source>EX (%1)</source>
        <translation>EX（%1）</translation>
    </message>
    <message>
        <source>EXEC (%1)</source>
        <translation>EXEC（%1）</translation>
    </message>
    <message>
        <source>strict EX (%1)</source>
        <translation>严格 EX（%1）</translation>
    </message>
    <message>
        <source>scored by</source>
        <translation>评分方式</translation>
    </message>
    <message>
        <source>n/a</source>
        <translation>不适用</translation>
    </message>
    <message>
        <source>item</source>
        <translation>条目</translation>
    </message>
    <message>
        <source>status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>question</source>
        <translation>问题</translation>
    </message>
    <message>
        <source>Gold</source>
        <translation>标准答案</translation>
    </message>
    <message>
        <source>Prediction (%1)</source>
        <translation>预测（%1）</translation>
    </message>
    <message>
        <source>Model folder</source>
        <translation>模型文件夹</translation>
    </message>
    <message>
        <source>Adapter folder (optional)</source>
        <translation>适配器文件夹（可选）</translation>
    </message>
    <message>
        <source>Test items (JSONL)</source>
        <translation>测试数据（JSONL）</translation>
    </message>
    <message>
        <source>Schema folder</source>
        <translation>Schema 文件夹</translation>
    </message>
    <message>
        <source>Database config (JSON)</source>
        <translation>数据库配置（JSON）</translation>
    </message>
    <message>
        <source>Items per dialect (0: all)</source>
        <translation>每种方言的条目数（0：全部）</translation>
    </message>
    <message>
        <source>Report file</source>
        <translation>报告文件</translation>
    </message>
    <message>
        <source>Run evaluation</source>
        <translation>运行评估</translation>
    </message>
    <message>
        <source>Generate a query for every chosen item, run it and the gold query on the databases, and score them</source>
        <translation>为每个选中的条目生成查询，在数据库上运行它和标准查询，并评分</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Fill in &quot;%1&quot; to run an evaluation.</source>
        <translation>请填写“%1”后再运行评估。</translation>
    </message>
    <message>
        <source>Loading the model…</source>
        <translation>正在加载模型…</translation>
    </message>
    <message>
        <source>Generating: %1 of %2 items</source>
        <translation>正在生成：第 %1 / %2 条</translation>
    </message>
    <message>
        <source>Scoring %1 items on the databases…</source>
        <translation>正在数据库上为 %1 个条目评分…</translation>
    </message>
    <message>
        <source>The evaluation did not finish: %1</source>
        <translation>评估未完成：%1</translation>
    </message>
    <message>
        <source>Evaluation written to %1</source>
        <translation>评估报告已写入 %1</translation>
    </message>
    <message>
        <source>No report yet: run an evaluation above (or `momq eval … --out REPORT.json`), or open a report.</source>
        <translation>还没有报告：请在上方运行评估（或运行 `momq eval … --out REPORT.json`），或打开一份报告。</translation>
    </message>
    <message>
        <source>Items (*.jsonl);;All files (*)</source>
        <translation>数据条目 (*.jsonl);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Database config (*.json);;All files (*)</source>
        <translation>数据库配置 (*.json);;所有文件 (*)</translation>
    </message>
</context>
<context>
    <name>ImportDatabaseDialog</name>
    <message>
        <source>Import Schema from Database</source>
        <translation>从数据库导入 Schema</translation>
    </message>
    <message>
        <source>SQLite file</source>
        <translation>SQLite 文件</translation>
    </message>
    <message>
        <source>PostgreSQL</source>
        <translation>PostgreSQL</translation>
    </message>
    <message>
        <source>MySQL / MariaDB</source>
        <translation>MySQL / MariaDB</translation>
    </message>
    <message>
        <source>default: the database name</source>
        <translation>默认：数据库名</translation>
    </message>
    <message>
        <source>default</source>
        <translation>默认</translation>
    </message>
    <message>
        <source>Remember the password in the system keychain</source>
        <translation>在系统钥匙串中记住密码</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>SQLite Database</source>
        <translation>SQLite 数据库</translation>
    </message>
    <message>
        <source>SQLite databases (*.sqlite *.sqlite3 *.db);;All files (*)</source>
        <translation>SQLite 数据库 (*.sqlite *.sqlite3 *.db);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Host:</source>
        <translation>主机：</translation>
    </message>
    <message>
        <source>Port:</source>
        <translation>端口：</translation>
    </message>
    <message>
        <source>User:</source>
        <translation>用户：</translation>
    </message>
    <message>
        <source>Password:</source>
        <translation>密码：</translation>
    </message>
    <message>
        <source>Engine:</source>
        <translation>数据库类型：</translation>
    </message>
    <message>
        <source>Connection name:</source>
        <translation>连接名称：</translation>
    </message>
    <message>
        <source>FalkorDB (property graph)</source>
        <translation>FalkorDB（属性图）</translation>
    </message>
    <message>
        <source>Database or graph:</source>
        <translation>数据库或图：</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>No system keychain available (%1): MoMQ Studio will ask for this password each time it is needed.</source>
        <translation>没有可用的系统钥匙串（%1）：每次需要时 MoMQ Studio 都会询问此密码。</translation>
    </message>
    <message>
        <source>New Project</source>
        <translation>新建项目</translation>
    </message>
    <message>
        <source>MoMQ projects (*.momq)</source>
        <translation>MoMQ 项目 (*.momq)</translation>
    </message>
    <message>
        <source>Open Project</source>
        <translation>打开项目</translation>
    </message>
    <message>
        <source>MoMQ projects (*.momq);;All files (*)</source>
        <translation>MoMQ 项目 (*.momq);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Import Schema File</source>
        <translation>导入 Schema 文件</translation>
    </message>
    <message>
        <source>Schema files (*.json)</source>
        <translation>Schema 文件 (*.json)</translation>
    </message>
    <message>
        <source>About MoMQ Studio</source>
        <translation>关于 MoMQ Studio</translation>
    </message>
    <message>
        <source>&lt;b&gt;MoMQ Studio&lt;/b&gt; %1&lt;br&gt;Turns questions and database schemas into queries in several dialects (MySQL, PostgreSQL, Cypher, nGQL) with a Mixture-of-Experts model (MoMQ).</source>
        <translation>&lt;b&gt;MoMQ Studio&lt;/b&gt; %1&lt;br&gt;借助混合专家模型（MoMQ），把问题和数据库 Schema 转换为多种方言的查询（MySQL、PostgreSQL、Cypher、nGQL）。</translation>
    </message>
    <message>
        <source>&amp;Project</source>
        <translation>项目(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;New Project…</source>
        <translation>新建项目(&amp;N)…</translation>
    </message>
    <message>
        <source>&amp;Open Project…</source>
        <translation>打开项目(&amp;O)…</translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation>最近打开(&amp;R)</translation>
    </message>
    <message>
        <source>Open &amp;Demo Project</source>
        <translation>打开演示项目(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Database</source>
        <translation>数据库(&amp;D)</translation>
    </message>
    <message>
        <source>Import Schema from &amp;Database…</source>
        <translation>从数据库导入 Schema(&amp;D)…</translation>
    </message>
    <message>
        <source>Import Schema from &amp;JSON File…</source>
        <translation>从 JSON 文件导入 Schema(&amp;J)…</translation>
    </message>
    <message>
        <source>&amp;Refresh Schema from Its Database</source>
        <translation>从来源数据库刷新 Schema(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Settings</source>
        <translation>设置(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;About MoMQ Studio</source>
        <translation>关于 MoMQ Studio(&amp;A)</translation>
    </message>
    <message>
        <source>%1 — MoMQ Studio</source>
        <translation>%1 — MoMQ Studio</translation>
    </message>
    <message>
        <source>MoMQ Studio</source>
        <translation>MoMQ Studio</translation>
    </message>
    <message>
        <source>Opened %1</source>
        <translation>已打开 %1</translation>
    </message>
    <message>
        <source>Cannot open the project: %1</source>
        <translation>无法打开项目：%1</translation>
    </message>
    <message>
        <source>Cannot create the project: %1</source>
        <translation>无法创建项目：%1</translation>
    </message>
    <message>
        <source>Cannot open the demo project: %1</source>
        <translation>无法打开演示项目：%1</translation>
    </message>
    <message>
        <source>Open or create a project first.</source>
        <translation>请先打开或创建一个项目。</translation>
    </message>
    <message>
        <source>Cannot import the schema file: %1</source>
        <translation>无法导入 Schema 文件：%1</translation>
    </message>
    <message>
        <source>Reading the schema of %1…</source>
        <translation>正在读取 %1 的 Schema…</translation>
    </message>
    <message>
        <source>Cannot import the schema: %1</source>
        <translation>无法导入 Schema：%1</translation>
    </message>
    <message>
        <source>Imported schema %1</source>
        <translation>已导入 Schema %1</translation>
    </message>
    <message>
        <source>Cannot save the imported schema: %1</source>
        <translation>无法保存导入的 Schema：%1</translation>
    </message>
    <message>
        <source>Select a schema in the browser first.</source>
        <translation>请先在浏览器中选择一个 Schema。</translation>
    </message>
    <message>
        <source>Schema %1 was not imported from a database.</source>
        <translation>Schema %1 不是从数据库导入的。</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Password for %1:</source>
        <translation>%1 的密码：</translation>
    </message>
    <message>
        <source>(no recent projects)</source>
        <translation>（没有最近的项目）</translation>
    </message>
    <message>
        <source>Schemas</source>
        <translation>Schema</translation>
    </message>
    <message>
        <source>Queries</source>
        <translation>查询</translation>
    </message>
    <message>
        <source>Training</source>
        <translation>训练</translation>
    </message>
    <message>
        <source>Routing</source>
        <translation>路由</translation>
    </message>
    <message>
        <source>Model loaded: %1</source>
        <translation>模型已加载：%1</translation>
    </message>
    <message>
        <source>Cannot save the query history: %1</source>
        <translation>无法保存查询历史：%1</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>No database connection for %1 in %2: import the database from the Database menu to run queries.</source>
        <translation>%1 在 %2 下没有数据库连接：请通过“数据库”菜单导入数据库后再运行查询。</translation>
    </message>
    <message>
        <source>Evaluation</source>
        <translation>评估</translation>
    </message>
    <message>
        <source>Cannot save the favourite: %1</source>
        <translation>无法保存收藏：%1</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>Cannot record the training run: %1</source>
        <translation>无法记录训练运行：%1</translation>
    </message>
    <message>
        <source>Cannot read the query history: %1</source>
        <translation>无法读取查询历史：%1</translation>
    </message>
    <message>
        <source>An evaluation is already running.</source>
        <translation>已有评估正在运行。</translation>
    </message>
    <message>
        <source>%1 (%2, %3)</source>
        <translation>%1（%2，%3）</translation>
    </message>
    <message>
        <source>Cannot read %1: %2</source>
        <translation>无法读取 %1：%2</translation>
    </message>
    <message>
        <source>No schema %1 in this project for item %2.</source>
        <translation>此项目中没有条目 %2 所需的 Schema %1。</translation>
    </message>
    <message>
        <source>No password given for %1.</source>
        <translation>未提供 %1 的密码。</translation>
    </message>
    <message>
        <source>No model is loaded yet: the item can be traced once it is.</source>
        <translation>尚未加载模型：加载完成后即可追踪该条目。</translation>
    </message>
</context>
<context>
    <name>PathField</name>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
</context>
<context>
    <name>QueryHistoryView</name>
    <message>
        <source>Search questions and queries</source>
        <translation>搜索问题和查询</translation>
    </message>
    <message>
        <source>Favourites only</source>
        <translation>仅显示收藏</translation>
    </message>
    <message>
        <source>★</source>
        <translation>★</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Database</source>
        <translation>数据库</translation>
    </message>
    <message>
        <source>Dialect</source>
        <translation>方言</translation>
    </message>
    <message>
        <source>Question</source>
        <translation>问题</translation>
    </message>
    <message>
        <source>Query</source>
        <translation>查询</translation>
    </message>
    <message>
        <source>Double-click an entry to open it in the editor; tick the star to keep it as a favourite.</source>
        <translation>双击条目可在编辑器中打开；勾选星标可将其收藏。</translation>
    </message>
    <message>
        <source>Nothing in the history matches.</source>
        <translation>历史中没有匹配的内容。</translation>
    </message>
    <message>
        <source>No queries yet: every query you generate is kept here.</source>
        <translation>还没有查询：你生成的每条查询都会保存在这里。</translation>
    </message>
</context>
<context>
    <name>RoutingHeatmap</name>
    <message>
        <source>Dialect router (layer × dialect)</source>
        <translation>方言路由（层 × 方言）</translation>
    </message>
    <message>
        <source>Dialect-weighted experts (layer × expert)</source>
        <translation>方言加权的专家（层 × 专家）</translation>
    </message>
    <message>
        <source>One token&apos;s experts (layer × expert)</source>
        <translation>单个词元的专家（层 × 专家）</translation>
    </message>
    <message>
        <source>Average over prompt tokens</source>
        <translation>对提示词元取平均</translation>
    </message>
    <message>
        <source>Average over output tokens</source>
        <translation>对输出词元取平均</translation>
    </message>
    <message>
        <source>Average over all tokens</source>
        <translation>对全部词元取平均</translation>
    </message>
    <message>
        <source>Token:</source>
        <translation>词元：</translation>
    </message>
    <message>
        <source>Fixed range [0, 1]</source>
        <translation>固定范围 [0, 1]</translation>
    </message>
    <message>
        <source>No routing yet: generate with a MoMQ adapter to see how each layer routes the tokens.</source>
        <translation>还没有路由数据：使用 MoMQ 适配器生成后，可查看每一层如何路由词元。</translation>
    </message>
    <message>
        <source>shared</source>
        <translation>共享</translation>
    </message>
    <message>
        <source>dialect group</source>
        <translation>方言组</translation>
    </message>
    <message>
        <source>expert (grouped by dialect)</source>
        <translation>专家（按方言分组）</translation>
    </message>
    <message>
        <source>experts for token “%1”</source>
        <translation>词元“%1”的专家</translation>
    </message>
</context>
<context>
    <name>RoutingPage</name>
    <message>
        <source>Dataset item:</source>
        <translation>数据集条目：</translation>
    </message>
    <message>
        <source>Trace</source>
        <translation>追踪</translation>
    </message>
    <message>
        <source>Generate this item&apos;s query and show how every token is routed</source>
        <translation>生成该条目的查询，并显示每个词元的路由</translation>
    </message>
    <message>
        <source>(no dataset in this project)</source>
        <translation>（此项目中没有数据集）</translation>
    </message>
    <message>
        <source>Generating %1…</source>
        <translation>正在生成 %1…</translation>
    </message>
    <message>
        <source>%1 (%2, %3): %4
Gold: %5
Generated: %6</source>
        <translation>%1（%2，%3）：%4
标准答案：%5
生成结果：%6</translation>
    </message>
    <message>
        <source>Last generation: %1</source>
        <translation>最近一次生成：%1</translation>
    </message>
</context>
<context>
    <name>SchemaBrowser</name>
    <message>
        <source>Filter tables, columns, labels, properties…</source>
        <translation>筛选表、列、标签、属性…</translation>
    </message>
    <message>
        <source>No schemas in this project yet.

Import one from a database or from a JSON file with the Database menu.</source>
        <translation>此项目还没有 Schema。

请通过“数据库”菜单从数据库或 JSON 文件导入。</translation>
    </message>
    <message>
        <source>Nothing matches “%1”.</source>
        <translation>没有与“%1”匹配的内容。</translation>
    </message>
</context>
<context>
    <name>SchemaTreeModel</name>
    <message>
        <source>%1 … %2</source>
        <translation>%1 … %2</translation>
    </message>
    <message>
        <source>relational database</source>
        <translation>关系数据库</translation>
    </message>
    <message>
        <source>table</source>
        <translation>表</translation>
    </message>
    <message>
        <source>PK</source>
        <translation>主键</translation>
    </message>
    <message>
        <source>FK → %1.%2</source>
        <translation>外键 → %1.%2</translation>
    </message>
    <message>
        <source>property graph</source>
        <translation>属性图</translation>
    </message>
    <message>
        <source>%1, %2</source>
        <translation>%1，%2</translation>
    </message>
    <message>
        <source>node label</source>
        <translation>节点标签</translation>
    </message>
    <message>
        <source>relationship</source>
        <translation>关系</translation>
    </message>
    <message>
        <source>%1 → %2</source>
        <translation>%1 → %2</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>键</translation>
    </message>
    <message>
        <source>Examples / details</source>
        <translation>示例 / 详情</translation>
    </message>
    <message>
        <source>Tables: %1</source>
        <translation>表：%1</translation>
    </message>
    <message>
        <source>Node labels: %1</source>
        <translation>节点标签：%1</translation>
    </message>
    <message>
        <source>Relationship types: %1</source>
        <translation>关系类型：%1</translation>
    </message>
</context>
<context>
    <name>TrainingMonitor</name>
    <message>
        <source>total loss</source>
        <translation>总损失</translation>
    </message>
    <message>
        <source>LM loss</source>
        <translation>语言模型损失</translation>
    </message>
    <message>
        <source>dialect router loss</source>
        <translation>方言路由损失</translation>
    </message>
    <message>
        <source>balance loss</source>
        <translation>均衡损失</translation>
    </message>
    <message>
        <source>step</source>
        <translation>步数</translation>
    </message>
    <message>
        <source>learning rate</source>
        <translation>学习率</translation>
    </message>
    <message>
        <source>gradient norm</source>
        <translation>梯度范数</translation>
    </message>
    <message>
        <source>tokens/s</source>
        <translation>词元/秒</translation>
    </message>
    <message>
        <source>router load per dialect group</source>
        <translation>各方言组的路由负载</translation>
    </message>
    <message>
        <source>Smoothing</source>
        <translation>平滑</translation>
    </message>
    <message>
        <source>Log scale</source>
        <translation>对数坐标</translation>
    </message>
    <message>
        <source>No run yet: configure one and press Start; its curves appear here as it trains.</source>
        <translation>还没有训练：配置后点击“开始”，训练曲线会在这里实时显示。</translation>
    </message>
    <message>
        <source>%1 left</source>
        <translation>剩余 %1</translation>
    </message>
</context>
<context>
    <name>TrainingPage</name>
    <message>
        <source>Method</source>
        <translation>方法</translation>
    </message>
    <message>
        <source>Base model folder</source>
        <translation>基础模型文件夹</translation>
    </message>
    <message>
        <source>Training items (JSONL)</source>
        <translation>训练数据（JSONL）</translation>
    </message>
    <message>
        <source>Schema folder</source>
        <translation>Schema 文件夹</translation>
    </message>
    <message>
        <source>Run folder</source>
        <translation>运行文件夹</translation>
    </message>
    <message>
        <source>Per-dialect limits</source>
        <translation>每种方言的数量上限</translation>
    </message>
    <message>
        <source>Learning rate</source>
        <translation>学习率</translation>
    </message>
    <message>
        <source>Epochs</source>
        <translation>轮数</translation>
    </message>
    <message>
        <source>Batch size</source>
        <translation>批大小</translation>
    </message>
    <message>
        <source>LoRA / expert rank</source>
        <translation>LoRA / 专家秩</translation>
    </message>
    <message>
        <source>e.g. mysql=3000,postgresql=128 (empty: all items)</source>
        <translation>例如 mysql=3000,postgresql=128（留空：全部数据）</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>开始</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>继续</translation>
    </message>
    <message>
        <source>Resuming from the last checkpoint…</source>
        <translation>正在从最近的检查点继续…</translation>
    </message>
    <message>
        <source>Training…</source>
        <translation>正在训练…</translation>
    </message>
    <message>
        <source>Pausing after this step…</source>
        <translation>将在本步之后暂停…</translation>
    </message>
    <message>
        <source>Overlay</source>
        <translation>叠加</translation>
    </message>
    <message>
        <source>Draw this earlier run&apos;s total loss behind the current run</source>
        <translation>在当前运行的曲线后面绘制这次较早运行的总损失</translation>
    </message>
    <message>
        <source>(no earlier runs in this project)</source>
        <translation>（此项目中没有较早的运行）</translation>
    </message>
    <message>
        <source>Cannot overlay %1: %2</source>
        <translation>无法叠加 %1：%2</translation>
    </message>
    <message>
        <source>Stopped %1.</source>
        <translation>已停止：%1。</translation>
    </message>
    <message>
        <source>Paused %1; Resume continues the run.</source>
        <translation>已暂停：%1；点击“继续”接着训练。</translation>
    </message>
    <message>
        <source>Stop after this step with a checkpoint; Resume continues the run</source>
        <translation>本步之后停止并保存检查点；点击“继续”可接着训练</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>End the run after this step; its adapter so far is kept</source>
        <translation>本步之后结束训练；保留目前为止的适配器</translation>
    </message>
    <message>
        <source>Stopping after this step…</source>
        <translation>将在本步之后停止…</translation>
    </message>
    <message>
        <source>Items (*.jsonl);;All files (*)</source>
        <translation>数据条目 (*.jsonl);;所有文件 (*)</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>MoMQ Studio: multi-dialect text-to-query</source>
        <translation>MoMQ Studio：多方言自然语言转查询</translation>
    </message>
    <message>
        <source>Open the embedded demo project.</source>
        <translation>打开内置的演示项目。</translation>
    </message>
    <message>
        <source>Interface language: en or zh_CN.</source>
        <translation>界面语言：en 或 zh_CN。</translation>
    </message>
    <message>
        <source>Project file to open.</source>
        <translation>要打开的项目文件。</translation>
    </message>
    <message>
        <source>Save a screenshot of every view into the folder, then quit.</source>
        <translation>将每个视图的截图保存到该文件夹，然后退出。</translation>
    </message>
    <message>
        <source>Print the compute settings (libtorch, threads, CUDA) as JSON, then quit.</source>
        <translation>以 JSON 打印计算设置（libtorch、线程、CUDA），然后退出。</translation>
    </message>
</context>
</TS>
