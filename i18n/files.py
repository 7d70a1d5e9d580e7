"""Messages about files: bounds on imports, separators, paths, exports."""

MESSAGES: dict[str, dict[str, str]] = {
    "files.too_big": {
        "zh": "文件 {name} 有 {size} MB，超过上限 {limit} MB。请按队伍或年份拆分后分别导入。",
        "en": "{name} is {size} MB, over the {limit} MB limit. Split it by team or year and import each part.",
    },
    "files.unpacked_too_big": {
        "zh": "这个 XLSX 解压后有 {size} MB，超过上限 {limit} MB。请只保留要导入的那张表，另存后重试。",
        "en": "This XLSX unpacks to {size} MB, over the {limit} MB limit. Keep only the sheet to import, save it again and retry.",
    },
    "files.sheet_too_large": {
        "zh": "第一张表的已用区域是 {range}，上限是 {rows} 行、{columns} 列。请删除数据之后多余的行和列（Ctrl+End 可找到最后一个被使用的单元格），另存后重试。",
        "en": "The first sheet's used range is {range}; at most {rows} rows and {columns} columns are read. Delete the rows and columns after the data (Ctrl+End shows the last used cell), save and retry.",
    },
    "files.too_many_rows": {
        "zh": "文件超过 {limit} 行。请按队伍或年份拆分后分别导入。",
        "en": "The file has more than {limit} rows. Split it by team or year and import each part.",
    },
    "files.too_many_columns": {
        "zh": "第 {line} 行超过 {limit} 列。请删除多余的列后重试。",
        "en": "Line {line} has more than {limit} columns. Delete the extra columns and retry.",
    },
    "files.cell_too_long": {
        "zh": "第 {line} 行第 {column} 列有 {length} 个字符，上限 {limit}。",
        "en": "Line {line}, column {column} holds {length} characters; at most {limit}.",
    },
    "files.control_character": {
        "zh": "第 {line} 行“{column}”列含有不可见的控制字符。请重新输入该单元格。",
        "en": "Line {line}, column “{column}” contains an invisible control character. Retype that cell.",
    },
    "files.csv_broken": {
        "zh": "CSV 文件在第 {line} 行无法读取（{detail}）。请在 Excel 中另存为“CSV UTF-8”后重试。",
        "en": "The CSV file cannot be read at line {line} ({detail}). Save it from Excel as “CSV UTF-8” and retry.",
    },
    "files.no_rows": {
        "zh": "文件 {name} 只有表头（第 {line} 行），没有可导入的数据，什么也没有导入。",
        "en": "{name} has only a header (line {line}) and no rows: nothing was imported.",
    },
    "files.separator_semicolon": {
        "zh": "第 {line} 行的表头用分号（;）分隔。请用逗号分隔的 CSV：在 Excel 中另存为“CSV UTF-8（逗号分隔）”。",
        "en": "The header (line {line}) is separated by semicolons (;). Use a comma-separated CSV: in Excel, save as “CSV UTF-8 (Comma delimited)”.",
    },
    "files.separator_tab": {
        "zh": "第 {line} 行的表头用制表符分隔。请用逗号分隔的 CSV：在 Excel 中另存为“CSV UTF-8（逗号分隔）”。",
        "en": "The header (line {line}) is separated by tabs. Use a comma-separated CSV: in Excel, save as “CSV UTF-8 (Comma delimited)”.",
    },
    "files.is_directory": {
        "zh": "{name} 是一个文件夹，不是文件。请给出 .csv 或 .xlsx 文件的路径。",
        "en": "{name} is a folder, not a file. Give the path of a .csv or .xlsx file.",
    },
    "files.cannot_read": {
        "zh": "无法读取文件 {name}：{reason}。",
        "en": "Cannot read {name}: {reason}.",
    },
    "files.cannot_write": {
        "zh": "无法写入 {name}：{reason}。",
        "en": "Cannot write {name}: {reason}.",
    },
    "export.sheet.roster": {"zh": "花名册", "en": "Roster"},
    "export.sheet.missions": {"zh": "任务", "en": "Missions"},
    "export.sheet.training": {"zh": "培训", "en": "Training"},
    "export.sheet.insurance": {"zh": "保险", "en": "Insurance"},
    "export.state.not_started": {"zh": "未生效", "en": "not started"},
    "report.chart.target": {"zh": "年度目标 {target}", "en": "yearly target {target}"},
    "report.chart.running": {"zh": "累计任务", "en": "missions so far"},
    "files.more_errors": {
        "zh": "……另有 {count} 处错误未列出。请先改正以上各行，再导入一次即可看到其余错误（命令行 rescuebot import 会列出全部）。",
        "en": "… and {count} more errors not listed. Fix the lines above and import again to see the rest (rescuebot import on the command line lists them all).",
    },
}
