<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
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
</context>
</TS>
